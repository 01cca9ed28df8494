import Synchronization

import Platform

/// The single thread that owns every socket of an `HTTPServer`: it waits in `poll()` for
/// any of them to be ready, accepts, reads, writes and enforces the timeouts.
///
/// One thread and one `poll()` call serve hundreds of connections because an idle
/// connection is only an entry in the poll set: it costs no thread and no CPU. The handler
/// runs on a `HandlerPool`, which wakes the loop through a pipe when an answer is ready.
final class HTTPEventLoop: @unchecked Sendable {
    // Unchecked: `connections`, `nextID` and `acceptPausedUntil` are touched only by the
    // loop thread, inside `run()`. Other threads reach the loop through `stopRequested`, the
    // pool's completion queue and the wake pipe, which are safe to share.
    private let listener: Int32
    private let limits: HTTPServerLimits
    private let wakeReader: Int32
    private let wakeWriter: Int32
    private let stopRequested = Atomic<Bool>(false)
    let pool: HandlerPool
    /// The address and port the listener is bound to, as the kernel reports them.
    let address: (host: String, port: UInt16)?
    private var connections: [UInt64: HTTPConnection] = [:]
    private var nextID: UInt64 = 0
    /// When accepting may resume after the process ran out of file descriptors.
    private var acceptPausedUntil = 0.0
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)

    /// A loop serving `listener` (a listening, non-blocking socket it now owns).
    init(listener: Int32, limits: HTTPServerLimits, handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws(HTTPServerError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            close(listener)
            throw .systemCallFailed("pipe", reason: systemErrorText(errno))
        }
        // Both ends non-blocking: a full pipe already holds a wake-up, so a failed write loses nothing.
        for end in ends {
            Sockets.setNonBlocking(end)
            Sockets.setCloseOnExec(end)
        }
        self.listener = listener
        self.address = SocketAddress.local(of: listener)?.hostAndPort
        self.limits = limits
        self.wakeReader = ends[0]
        self.wakeWriter = ends[1]
        let wakeWriter = ends[1]
        self.pool = HandlerPool(handler: handler) {
            var byte: UInt8 = 1
            _ = write(wakeWriter, &byte, 1)
        }
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Asks the loop to end; `run()` returns soon after. Safe from any thread.
    func requestStop() {
        stopRequested.store(true, ordering: .releasing)
        var byte: UInt8 = 1
        _ = write(wakeWriter, &byte, 1)
    }

    /// Releases what the loop owns once `run()` has returned (or never ran): the worker
    /// threads, the listening socket and the wake pipe.
    func finish() {
        pool.stop()
        close(listener)
        close(wakeReader)
        close(wakeWriter)
    }

    /// Serves until `requestStop()`, then closes every connection.
    func run() {
        var descriptors: [pollfd] = []
        var polled: [HTTPConnection] = []
        while !stopRequested.load(ordering: .acquiring) {
            var now = SystemClock.monotonicSeconds()
            descriptors.removeAll(keepingCapacity: true)
            polled.removeAll(keepingCapacity: true)
            let accepting = now >= acceptPausedUntil
            descriptors.append(pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0))
            // A negative descriptor is skipped by poll(): the listener rests while accepting is paused.
            descriptors.append(pollfd(fd: accepting ? listener : -1, events: Int16(POLLIN), revents: 0))
            var nearest = accepting ? Double.infinity : acceptPausedUntil
            for connection in connections.values {
                descriptors.append(pollfd(fd: connection.descriptor, events: connection.events, revents: 0))
                polled.append(connection)
                if let deadline = connection.deadline { nearest = min(nearest, deadline) }
            }
            // Milliseconds to the nearest deadline; at most a minute, so that a huge configured
            // timeout cannot overflow poll()'s Int32 (the loop simply looks again).
            let timeout = nearest == .infinity ? -1 : Int32(min(max((nearest - now) * 1000, 0), 60_000).rounded(.up))
            // Interrupted by a signal: nothing is ready, so look again.
            if poll(&descriptors, nfds_t(descriptors.count), timeout) < 0 { continue }
            now = SystemClock.monotonicSeconds()

            if descriptors[0].revents != 0 { drainWakePipe() }
            for completion in pool.takeCompletions() {
                guard let connection = connections[completion.connection] else { continue }
                apply(connection.complete(completion.bytes, close: completion.close, now: now), to: connection)
            }
            if descriptors[1].revents != 0 { acceptConnections(now: now) }
            for (index, connection) in polled.enumerated() where descriptors[index + 2].revents != 0 {
                // A completion above may have closed it already.
                guard connections[connection.id] != nil else { continue }
                switch connection.phase {
                case .readingHead, .readingBody, .closing:
                    apply(connection.readAvailable(into: readBuffer, now: now), to: connection)
                case .writing:
                    apply(connection.advance(now: now), to: connection)
                case .handling:
                    // Nothing was asked for, so this is an error or a hang-up: the answer has nowhere to go.
                    apply(.close, to: connection)
                }
            }
            for connection in Array(connections.values) {
                if let deadline = connection.deadline, deadline <= now {
                    apply(connection.timedOut(now: now), to: connection)
                }
            }
        }
        for connection in connections.values { close(connection.descriptor) }
        connections.removeAll()
    }

    private func apply(_ next: HTTPConnection.Next, to connection: HTTPConnection) {
        switch next {
        case .wait:
            break
        case .dispatch(let request):
            pool.submit(HandlerPool.Job(connection: connection.id, request: request, keepAlive: request.wantsKeepAlive))
        case .close:
            close(connection.descriptor)
            connections.removeValue(forKey: connection.id)
        }
    }

    private func drainWakePipe() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(wakeReader, &bytes, bytes.count) == bytes.count {}
    }

    /// Accepts the connections waiting in the listen queue, a bounded batch per turn so
    /// that a flood of new connections cannot starve the open ones.
    private func acceptConnections(now: Double) {
        for _ in 0..<64 {
            let descriptor = accept(listener, nil, nil)
            guard descriptor >= 0 else {
                switch errno {
                case EAGAIN, EWOULDBLOCK:
                    return
                case EINTR, ECONNABORTED, EPROTO:
                    continue
                default:
                    // Out of file descriptors or memory: the listener would stay readable and
                    // spin the loop, so rest it briefly while open connections finish.
                    acceptPausedUntil = now + 0.1
                    return
                }
            }
            Sockets.prepareAccepted(descriptor)
            // Full: an idle connection makes room first, then the slowest partial head; a
            // connection with a request under way is never closed for a newcomer.
            if connections.count >= limits.maxConnections, let evicted = evictionCandidate() {
                close(evicted.descriptor)
                connections.removeValue(forKey: evicted.id)
            }
            guard connections.count < limits.maxConnections else {
                refuse(descriptor)
                continue
            }
            // Small responses go out at once instead of waiting for the previous one's ACK.
            var on: Int32 = 1
            _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            nextID += 1
            connections[nextID] = HTTPConnection(descriptor: descriptor, id: nextID, limits: limits, now: now)
        }
    }

    /// The connection to close for a newcomer when the server is full: the idle one that has
    /// waited longest, else the partial head that progressed least recently; nil if none may go.
    private func evictionCandidate() -> HTTPConnection? {
        connections.values
            .filter { $0.evictionRank != nil }
            // Connections accepted in one turn share a time: the older id (accepted first) goes first.
            .min { ($0.evictionRank!, $0.lastProgress, $0.id) < ($1.evictionRank!, $1.lastProgress, $1.id) }
    }

    /// Answers a connection over the cap with 503 and closes it at once, so it holds nothing.
    private func refuse(_ descriptor: Int32) {
        var response = HTTPResponse.text("too many open connections (\(limits.maxConnections)); try again in a moment\n", status: 503)
        response.headers["Retry-After"] = "1"
        let bytes = response.encoded(answering: nil, keepAlive: false).bytes
        _ = bytes.withUnsafeBytes { Sockets.send(descriptor, $0.baseAddress, $0.count) }
        // Closing with the client's request still unread makes the kernel send a reset, which
        // can destroy the 503 before the client reads it: read what has arrived, and end the
        // writing side first.
        var discard = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<4 where recv(descriptor, &discard, discard.count, 0) > 0 {}
        shutdown(descriptor, Int32(SHUT_WR))
        close(descriptor)
    }
}
