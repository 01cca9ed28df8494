import Platform

/// A minimal, blocking HTTP/1.1 client: one `GET` on a fresh connection, for the scraper
/// and the tests.
///
/// It sends `Connection: close`, reads the body by `Content-Length` (or to the end of the
/// stream when there is none) and gives up at one deadline covering the whole exchange,
/// so a server that stalls anywhere cannot hang the caller. It does not follow redirects
/// or decode chunked bodies, and speaks plain `http://` only.
public enum HTTPClient {
    /// The largest response accepted; a metrics page is far smaller.
    static let maxResponseBytes = 64 << 20

    /// Fetches `url` (`http://host:port/path?query`) and returns the response, whatever its status.
    ///
    /// - Parameters:
    ///   - headers: extra request header fields, such as `["Accept": "application/openmetrics-text"]`.
    ///   - timeout: seconds for everything: connecting, sending and receiving the whole body.
    /// - Throws: `HTTPClientError`, one line saying what went wrong.
    public static func get(url: String, headers: [String: String] = [:], timeout: Double = 5) throws -> HTTPClientResponse {
        let target = try Target(url)
        for (name, value) in headers where !HTTPHeaders.isToken(name.utf8) || !HTTPHeaders.isFieldValue(value.utf8) {
            throw HTTPClientError.invalidHeader(name)
        }
        let deadline = SystemClock.monotonicSeconds() + timeout
        let descriptor = try openConnection(to: target, url: url, deadline: deadline, timeout: timeout)
        defer { close(descriptor) }

        var request = "GET \(target.pathAndQuery) HTTP/1.1\r\n"
        if !headers.keys.contains(where: { HTTPHeaders.sameName($0, "Host") }) { request += "Host: \(target.authority)\r\n" }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { request += "\(name): \(value)\r\n" }
        request += "Connection: close\r\n\r\n"
        try sendAll(Array(request.utf8), on: descriptor, url: url, deadline: deadline, timeout: timeout)
        return try receive(on: descriptor, url: url, deadline: deadline, timeout: timeout)
    }

    /// The parts of an `http://` URL the request needs.
    private struct Target {
        let host: String
        let port: UInt16
        /// `host:port` as written, for the `Host` header and messages.
        let authority: String
        /// The request target: path and query, without the fragment.
        let pathAndQuery: String

        /// The parts of `url`, or `invalidURL` saying what is wrong with it.
        init(_ url: String) throws(HTTPClientError) {
            guard url.lowercased().hasPrefix("http://") else {
                throw .invalidURL(url, reason: url.contains("://") ? "only http:// is supported" : "no http:// scheme")
            }
            let rest = url.dropFirst("http://".count)
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            authority = String(rest[..<authorityEnd])
            var path = String(rest[authorityEnd...].prefix { $0 != "#" })
            if !path.hasPrefix("/") { path = "/" + path }
            guard path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .invalidURL(url, reason: "the path has spaces or non-ASCII characters") }
            pathAndQuery = path
            guard !authority.contains("@") else { throw .invalidURL(url, reason: "user names in URLs are not supported") }
            var hostPart = Substring(authority), portPart: Substring?
            if authority.hasPrefix("[") {
                // An IPv6 literal: [::1]:9090.
                guard let close = authority.firstIndex(of: "]") else { throw .invalidURL(url, reason: "unclosed [ in the host") }
                hostPart = authority[authority.index(after: authority.startIndex)..<close]
                let after = authority[authority.index(after: close)...]
                guard after.isEmpty || after.hasPrefix(":") else { throw .invalidURL(url, reason: "unexpected text after ]") }
                portPart = after.isEmpty ? nil : after.dropFirst()
            } else if let colon = authority.lastIndex(of: ":") {
                hostPart = authority[..<colon]
                portPart = authority[authority.index(after: colon)...]
            }
            guard !hostPart.isEmpty else { throw .invalidURL(url, reason: "no host") }
            host = String(hostPart)
            if let portPart {
                guard let number = UInt16(portPart), number > 0 else { throw .invalidURL(url, reason: "the port must be 1 through 65535") }
                port = number
            } else {
                port = 80
            }
        }
    }

    /// A connected, non-blocking socket; tries each address the host resolves to.
    private static func openConnection(to target: Target, url: String, deadline: Double, timeout: Double) throws(HTTPClientError) -> Int32 {
        let addresses: [SocketAddress]
        do {
            addresses = try SocketAddress.resolve(host: target.host, port: target.port, passive: false)
        } catch {
            throw .unknownHost(target.host, reason: error.reason)
        }
        var failure = HTTPClientError.connectionRefused(target.authority)
        for address in addresses {
            let descriptor = Sockets.makeStreamSocket(family: address.family, nonBlocking: true)
            guard descriptor >= 0 else { throw .connectionFailed(url: url, reason: systemErrorText(errno)) }
            var code: Int32 = 0
            if address.withSockaddr({ connect(descriptor, $0, $1) }) != 0 {
                code = errno
                if code == EINPROGRESS {
                    guard wait(for: Int16(POLLOUT), on: descriptor, until: deadline) else {
                        close(descriptor)
                        throw .timedOut(url: url, seconds: timeout)
                    }
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    _ = getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &code, &length)
                }
            }
            guard code != 0 else { return descriptor }
            close(descriptor)
            failure = code == ECONNREFUSED ? .connectionRefused(target.authority) : .connectionFailed(url: url, reason: systemErrorText(code))
        }
        throw failure
    }

    private static func sendAll(_ bytes: [UInt8], on descriptor: Int32, url: String, deadline: Double, timeout: Double) throws(HTTPClientError) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Sockets.send(descriptor, $0.baseAddress! + sent, $0.count - sent) }
            if count > 0 {
                sent += count
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                guard wait(for: Int16(POLLOUT), on: descriptor, until: deadline) else { throw .timedOut(url: url, seconds: timeout) }
            } else {
                throw .connectionFailed(url: url, reason: systemErrorText(errno))
            }
        }
    }

    /// Reads the response: its head, then the body by `Content-Length` or to the end of the stream.
    private static func receive(on descriptor: Int32, url: String, deadline: Double, timeout: Double) throws(HTTPClientError) -> HTTPClientResponse {
        var received: [UInt8] = []
        var head: (fields: ResponseHead, length: Int)?
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if head == nil, let end = headEnd(received) {
                let fields = try parseHead(received[..<end], url: url)
                // An interim response (100 Continue, 103 Early Hints) comes before the real one.
                if (100..<200).contains(fields.status) {
                    received.removeFirst(end)
                    continue
                }
                head = (fields, end)
            }
            if let head, let bodyLength = head.fields.bodyLength, received.count >= head.length + bodyLength {
                return HTTPClientResponse(
                    status: head.fields.status, headers: head.fields.headers, body: Array(received[head.length..<(head.length + bodyLength)]))
            }
            guard received.count <= maxResponseBytes else { throw .malformedResponse(url: url, reason: "larger than \(maxResponseBytes >> 20) MiB") }
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received.append(contentsOf: chunk[0..<count])
            } else if count == 0 {
                guard let head else {
                    let reason = received.isEmpty ? "the connection closed without a response" : "the connection closed in the middle of the header"
                    throw .malformedResponse(url: url, reason: reason)
                }
                if let bodyLength = head.fields.bodyLength {
                    throw .malformedResponse(url: url, reason: "the connection closed after \(received.count - head.length) of \(bodyLength) body bytes")
                }
                return HTTPClientResponse(status: head.fields.status, headers: head.fields.headers, body: Array(received[head.length...]))
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                guard wait(for: Int16(POLLIN), on: descriptor, until: deadline) else { throw .timedOut(url: url, seconds: timeout) }
            } else {
                throw .connectionFailed(url: url, reason: systemErrorText(errno))
            }
        }
    }

    /// A response's status line and header fields, and how long its body is.
    private struct ResponseHead {
        let status: Int
        let headers: HTTPHeaders
        /// The body's length, or nil when it runs to the end of the stream.
        let bodyLength: Int?
    }

    /// The index just past the blank line that ends a response head, or nil.
    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        for index in bytes.indices where bytes[index] == lf {
            if index + 1 < bytes.count, bytes[index + 1] == lf { return index + 2 }
            if index + 2 < bytes.count, bytes[index + 1] == cr, bytes[index + 2] == lf { return index + 3 }
        }
        return nil
    }

    /// The status line and header fields of a response head.
    private static func parseHead(_ bytes: ArraySlice<UInt8>, url: String) throws(HTTPClientError) -> ResponseHead {
        let lines = bytes.split(separator: UInt8(ascii: "\n")).map { $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0 }
        let statusLine = String(decoding: lines.first ?? [], as: UTF8.self)
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
            throw .malformedResponse(url: url, reason: "the status line is not HTTP/1.x NNN")
        }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), HTTPHeaders.isToken(line[..<colon]),
                  HTTPHeaders.isFieldValue(line[(colon + 1)...])
            else {
                throw .malformedResponse(url: url, reason: "a header line is not Name: value")
            }
            headers.add(name: String(decoding: line[..<colon], as: UTF8.self), value: String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces)
        }
        if status == 204 || status == 304 || (100..<200).contains(status) { return ResponseHead(status: status, headers: headers, bodyLength: 0) }
        guard headers["Transfer-Encoding"] == nil else {
            throw .malformedResponse(url: url, reason: "Transfer-Encoding bodies are not supported; this client reads Content-Length")
        }
        guard let lengthText = headers["Content-Length"] else { return ResponseHead(status: status, headers: headers, bodyLength: nil) }
        guard let length = Int(lengthText), length >= 0, length <= maxResponseBytes else {
            throw .malformedResponse(url: url, reason: "unreadable Content-Length \(lengthText)")
        }
        return ResponseHead(status: status, headers: headers, bodyLength: length)
    }

    /// Waits until `descriptor` is ready for `events` or `deadline` passes; false on timeout.
    private static func wait(for events: Int16, on descriptor: Int32, until deadline: Double) -> Bool {
        while true {
            let remaining = deadline - SystemClock.monotonicSeconds()
            guard remaining > 0 else { return false }
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(remaining * 1000, 60_000).rounded(.up)))
            // Ready, or an error the next call will report.
            if ready > 0 || (ready < 0 && errno != EINTR) { return true }
        }
    }
}
