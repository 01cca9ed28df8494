import Platform

/// A small HTTP/1.1 server: enough to answer `GET /metrics` to Prometheus, a browser or curl.
///
/// ```swift
/// let metrics = MetricsEndpoint(registry: registry)
/// let server = HTTPServer(port: 3001, handler: metrics.makeHandler())
/// try server.start()                  // throws one clear line if the port is taken
/// print("serving \(server.url)/metrics")
/// server.runUntilTerminated()         // until Ctrl-C or SIGTERM, then stops cleanly
/// ```
///
/// It listens on 127.0.0.1 unless given another host: a workbook's metrics are for this
/// machine, and `0.0.0.0` (every interface) should be a choice. One thread waits in
/// `poll()` on every socket, so idle connections cost nothing; a few handler threads
/// call the handler. It speaks HTTP/1.0 and 1.1 with keep-alive and pipelining, answers
/// `GET` and `HEAD` (405 otherwise), and defends itself with the timeouts and caps in
/// `HTTPServerLimits`: 400 for garbage, 431 for a head over 8 KiB, 408 for a request
/// that trickles in, 503 beyond the connection cap.
/// See https://www.rfc-editor.org/rfc/rfc9112 for the message syntax it follows.
public final class HTTPServer: Sendable {
    /// The host it was asked to listen on.
    public let host: String
    /// Its timeouts and caps.
    public let limits: HTTPServerLimits
    private let requestedPort: UInt16
    private let handler: @Sendable (HTTPRequest) -> HTTPResponse
    private let state = Locked(State())

    private struct State {
        var phase = Phase.notStarted
        /// What the kernel reports the listener is bound to, once started.
        var bound: (host: String, port: UInt16)?
    }

    private enum Phase {
        case notStarted
        case starting
        case running(HTTPEventLoop, JoinableThread)
        case stopped
    }

    /// A server that will answer every request with `handler`.
    ///
    /// - Parameters:
    ///   - host: the address to listen on: `127.0.0.1` (this machine only), `0.0.0.0`
    ///     (every IPv4 interface), `::1`, or a name such as `localhost`.
    ///   - port: the port; 0 lets the system pick a free one (read it from `port` after `start()`).
    ///   - limits: timeouts and caps.
    ///   - handler: turns a request into a response; called on a handler thread, so several
    ///     calls may run at once. It is given only `GET` and `HEAD` requests.
    public init(
        host: String = "127.0.0.1", port: UInt16, limits: HTTPServerLimits = HTTPServerLimits(),
        handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) {
        self.host = host
        self.requestedPort = port
        self.limits = limits
        self.handler = handler
    }

    deinit {
        stop()
    }

    /// The port it listens on: the one the system picked when asked for 0, once started.
    public var port: UInt16 {
        state.withLock { $0.bound?.port } ?? requestedPort
    }

    /// The address the listening socket is bound to, as the kernel reports it (`getsockname`);
    /// the requested host until started.
    public var boundAddress: String {
        state.withLock { $0.bound?.host } ?? host
    }

    /// The base URL to reach it: `http://127.0.0.1:3001`.
    public var url: String {
        let address = boundAddress
        return address.contains(":") ? "http://[\(address)]:\(port)" : "http://\(address):\(port)"
    }

    /// Binds, listens and starts serving on background threads; returns at once.
    ///
    /// - Throws: `HTTPServerError`, whose description is one line saying what to do
    ///   (`port 3001 on 127.0.0.1 is already in use; stop the other program or pass --port`).
    public func start() throws {
        let claimed = state.withLock { state in
            guard case .notStarted = state.phase else { return false }
            state.phase = .starting
            return true
        }
        guard claimed else { throw HTTPServerError.alreadyStarted }
        // A client that hangs up mid-response must cost an EPIPE, not the process.
        Sockets.ignoreBrokenPipeSignal()
        let loop: HTTPEventLoop, thread: JoinableThread
        do {
            let listener = try makeListener()
            loop = try HTTPEventLoop(listener: listener, limits: limits, handler: handler)
            do {
                try loop.pool.start(count: limits.handlerThreads)
                do {
                    thread = try JoinableThread { loop.run() }
                } catch {
                    throw HTTPServerError(error)
                }
            } catch {
                loop.finish()
                throw error
            }
        } catch {
            // Nothing is listening, so the same server may try again (say, once the port is free).
            state.withLock { $0.phase = .notStarted }
            throw error
        }
        let stoppedMeanwhile = state.withLock { state in
            guard case .starting = state.phase else { return true }
            state.phase = .running(loop, thread)
            state.bound = loop.address
            return false
        }
        if stoppedMeanwhile { Self.shutDown(loop, thread) }
    }

    /// Closes every connection and the listening socket and waits for the server's threads to end.
    ///
    /// Requests in progress are dropped. Calling it again does nothing. Do not call it from
    /// the handler: it waits for the handler threads.
    public func stop() {
        let phase = state.withLock { state in
            let phase = state.phase
            // Stopping a server that never started leaves it free to start.
            if case .notStarted = phase { return phase }
            state.phase = .stopped
            return phase
        }
        guard case .running(let loop, let thread) = phase else { return }
        Self.shutDown(loop, thread)
    }

    private static func shutDown(_ loop: HTTPEventLoop, _ thread: JoinableThread) {
        loop.requestStop()
        thread.join()
        loop.finish()
    }

    /// Blocks until the process receives SIGINT (Ctrl-C) or SIGTERM, then stops the server.
    ///
    /// For an executable that serves until told to quit: it returns instead of dying, so
    /// the program can say goodbye and exit with status 0. Returns the signal received.
    @discardableResult
    public func runUntilTerminated() -> Int32 {
        let received = TerminationSignal.wait()
        stop()
        return received
    }

    /// A listening, non-blocking socket bound to `host` and the requested port.
    private func makeListener() throws(HTTPServerError) -> Int32 {
        let address: SocketAddress
        do {
            address = try SocketAddress.resolve(host: host, port: requestedPort, passive: true)[0]
        } catch {
            throw .unknownHost(host, reason: error.reason)
        }
        let descriptor = Sockets.makeStreamSocket(family: address.family, nonBlocking: false)
        guard descriptor >= 0 else { throw .systemCallFailed("socket", reason: systemErrorText(errno)) }
        // Lets a restarted server take its port back while the last run's connections linger in TIME_WAIT.
        var on: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard address.withSockaddr({ bind(descriptor, $0, $1) }) == 0 else {
            let code = errno
            close(descriptor)
            switch code {
            case EADDRINUSE: throw .addressInUse(host: host, port: requestedPort)
            case EACCES: throw .permissionDenied(host: host, port: requestedPort)
            case EADDRNOTAVAIL: throw .addressNotAvailable(host: host)
            default: throw .systemCallFailed("bind", reason: systemErrorText(code))
            }
        }
        guard listen(descriptor, SOMAXCONN) == 0 else {
            let code = errno
            close(descriptor)
            throw .systemCallFailed("listen", reason: systemErrorText(code))
        }
        Sockets.setNonBlocking(descriptor)
        return descriptor
    }
}
