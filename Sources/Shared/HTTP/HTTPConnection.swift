import Platform

/// One client connection as the event loop keeps it between `poll()` calls.
///
/// It holds the bytes received and not yet used, the response being written, and where
/// the current request stands. It never blocks: it reads or writes what the socket takes
/// now and tells the loop what to do next. Only the loop thread touches it.
final class HTTPConnection {
    /// Where the connection stands in a request's life.
    enum Phase {
        /// Waiting for a request, or for the rest of one's head.
        case readingHead
        /// The head of `request` is read; `remaining` body bytes are still to read (kept in the
        /// request when its method takes a body, else dropped).
        case readingBody(HTTPRequest, remaining: Int)
        /// The handler is working on the request on a worker thread.
        case handling
        /// A response is being written.
        case writing
        /// Our side has finished (shut down for writing); reading and dropping until the client closes.
        case closing
    }

    /// What the loop should do after a step.
    enum Next {
        /// Nothing now; poll again.
        case wait
        /// Give this request to the handler.
        case dispatch(HTTPRequest)
        /// Close the socket and forget the connection.
        case close
    }

    /// The connected socket, non-blocking.
    let descriptor: Int32
    /// The loop's name for the connection; a handler's answer finds its way back by it.
    let id: UInt64
    /// Where the current request stands.
    private(set) var phase = Phase.readingHead
    private let limits: HTTPServerLimits
    private let parser: HTTPRequestParser
    /// Received bytes not yet used: the head being read, or pipelined requests waiting their turn.
    private var input: [UInt8] = []
    private var scanned = 0
    private var output: [UInt8] = []
    private var written = 0
    private var closeAfterWriting = false
    /// The client has shut down its side: no more requests will come.
    private var peerClosed = false
    /// When the connection last received or sent a byte.
    private(set) var lastProgress: Double
    /// When the first byte of the request being read arrived.
    private var requestStarted: Double?
    private var closingDeadline = 0.0

    /// How readily the connection may be closed to make room for a new one when the server is
    /// full: 0 idle between requests, 1 still sending the head of a request (a slow client, or
    /// a slowloris), nil when a request is being read, answered or written (never evicted).
    var evictionRank: Int? {
        guard case .readingHead = phase else { return nil }
        return input.isEmpty ? 0 : 1
    }

    /// A connection just accepted at `now`.
    init(descriptor: Int32, id: UInt64, limits: HTTPServerLimits, now: Double) {
        self.descriptor = descriptor
        self.id = id
        self.limits = limits
        self.parser = HTTPRequestParser(maxHeaderBytes: limits.maxHeaderBytes, maxBodyBytes: limits.maxBodyBytes)
        self.lastProgress = now
    }

    /// The `poll()` events to wait for. None while the handler works: the connection reads
    /// no further ahead than one request, which bounds its memory and keeps responses in order.
    var events: Int16 {
        switch phase {
        case .readingHead, .readingBody, .closing: peerClosed ? 0 : Int16(POLLIN)
        case .handling: 0
        case .writing: Int16(POLLOUT)
        }
    }

    /// When the connection gives up waiting, or nil while the handler works.
    var deadline: Double? {
        switch phase {
        case .readingHead where input.isEmpty: lastProgress + limits.idleTimeout
        case .readingHead, .readingBody: (requestStarted ?? lastProgress) + limits.requestTimeout
        case .handling: nil
        case .writing: lastProgress + limits.idleTimeout
        case .closing: closingDeadline
        }
    }

    /// Reads what the socket holds into `buffer` and moves on as far as the bytes allow.
    func readAvailable(into buffer: UnsafeMutableRawBufferPointer, now: Double) -> Next {
        let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
        if count < 0 { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? .wait : .close }
        if count == 0 { peerClosed = true }
        if case .closing = phase { return peerClosed ? .close : .wait }
        if count > 0 {
            if requestStarted == nil { requestStarted = now }
            input.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            lastProgress = now
        }
        return advance(now: now)
    }

    /// Takes the handler's answer and starts writing it.
    func complete(_ bytes: [UInt8], close: Bool, now: Double) -> Next {
        guard case .handling = phase else { return .wait }
        startWriting(bytes, close: close, now: now)
        return advance(now: now)
    }

    /// The deadline has passed: an idle connection just closes, a request that is still
    /// arriving gets 408 first, a client that does not read its response is dropped.
    func timedOut(now: Double) -> Next {
        switch phase {
        case .readingHead where input.isEmpty:
            return .close
        case .readingHead, .readingBody:
            let seconds = limits.requestTimeout
            let response = HTTPResponse.text("the request took longer than \(seconds) seconds to arrive\n", status: 408)
            startWriting(response.encoded(answering: nil, keepAlive: false).bytes, close: true, now: now)
            return advance(now: now)
        case .handling:
            return .wait
        case .writing, .closing:
            return .close
        }
    }

    /// Moves through the phases as far as the bytes at hand allow.
    func advance(now: Double) -> Next {
        while true {
            switch phase {
            case .readingHead:
                guard !input.isEmpty else { return peerClosed ? .close : .wait }
                switch parser.parse(input, scanned: &scanned) {
                case .incomplete:
                    return peerClosed ? .close : .wait
                case .failure(let response):
                    startWriting(response.encoded(answering: nil, keepAlive: false).bytes, close: true, now: now)
                case .request(let request, let headLength, let bodyLength):
                    input.removeFirst(headLength)
                    scanned = 0
                    phase = .readingBody(request, remaining: bodyLength)
                }
            case .readingBody(var request, let remaining):
                // The body goes to the handler when its method takes one; otherwise it is read
                // only to find where the next request starts.
                let used = min(remaining, input.count)
                let allowed = limits.methods.contains(request.method)
                if allowed, request.method != "GET", request.method != "HEAD" { request.body += input[..<used] }
                input.removeFirst(used)
                guard used == remaining else {
                    phase = .readingBody(request, remaining: remaining - used)
                    return peerClosed ? .close : .wait
                }
                requestStarted = nil
                if allowed {
                    phase = .handling
                    return .dispatch(request)
                }
                let methods = limits.methods.joined(separator: ", ")
                var refusal = HTTPResponse.text("\(request.method) is not allowed; this server answers \(methods)\n", status: 405)
                refusal.headers["Allow"] = methods
                let encoded = refusal.encoded(answering: request, keepAlive: request.wantsKeepAlive)
                startWriting(encoded.bytes, close: encoded.close, now: now)
            case .handling, .closing:
                return .wait
            case .writing:
                switch flush(now: now) {
                case .failed: return .close
                case .pending: return .wait
                case .done: break
                }
                if closeAfterWriting { return beginClosing(now: now) }
                phase = .readingHead
                // A pipelined request may already be waiting; its clock starts now.
                if !input.isEmpty { requestStarted = now }
            }
        }
    }

    private func startWriting(_ bytes: [UInt8], close: Bool, now: Double) {
        output = bytes
        written = 0
        closeAfterWriting = close
        lastProgress = now
        phase = .writing
    }

    private enum FlushResult {
        case done, pending, failed
    }

    /// Sends as much of the response as the socket takes now.
    private func flush(now: Double) -> FlushResult {
        while written < output.count {
            let count = output.withUnsafeBytes { bytes in
                // Sockets.send: a client that hung up costs an EPIPE here, not a SIGPIPE to the process.
                Sockets.send(descriptor, bytes.baseAddress! + written, bytes.count - written)
            }
            if count > 0 {
                written += count
                lastProgress = now
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? .pending : .failed
            }
        }
        output = []
        written = 0
        return .done
    }

    /// Ends the connection after its last response without losing that response.
    private func beginClosing(now: Double) -> Next {
        guard !peerClosed else { return .close }
        // Closing a socket that still has unread input makes the kernel send a reset, which
        // can destroy the response on its way to the client. So finish our side instead (the
        // client reads the response, then end of stream), drop whatever it still sends, and
        // close when it closes or after a short grace period.
        shutdown(descriptor, Int32(SHUT_WR))
        input = []
        phase = .closing
        closingDeadline = now + min(limits.requestTimeout, 2)
        return .wait
    }
}
