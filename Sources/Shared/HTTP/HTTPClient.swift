import Platform

/// A minimal, blocking HTTP/1.1 client: one `GET` on a fresh connection, for the scraper
/// and the tests.
///
/// It sends `Connection: close`, reads the body by `Content-Length` (or to the end of the
/// stream when there is none) and does not follow redirects, decode chunked bodies or speak
/// `https://`. It assumes the server may be broken or hostile, so everything is bounded:
/// - one deadline covers the whole exchange (connecting, sending, every interim response,
///   the head and the body), and it holds while bytes keep coming, not only while the
///   client waits for them: a server that trickles a byte a second fails at the deadline;
/// - the head may take `maxHeadBytes`, and is searched for its end in time linear in its length;
/// - at most `maxInterimResponses` interim (1xx) responses may come before the final one;
/// - the body may take `maxBodyBytes`; a `Content-Length` above it fails before any body is read.
public enum HTTPClient {
    /// The largest body accepted unless the caller asks for another limit; a metrics page is far smaller.
    public static let defaultMaxBodyBytes = 64 << 20

    /// The most bytes a response head (status line and header fields) may take.
    ///
    /// A metrics target's head is a few hundred bytes. Without a cap, a server that never
    /// sends the blank line ending its head makes the client buffer until the deadline.
    public static let maxHeadBytes = 64 << 10

    /// The most interim (1xx) responses accepted before the final one; Go's `net/http`, which
    /// Prometheus scrapes with, allows the same five.
    public static let maxInterimResponses = 5

    /// Fetches `url` (`http://host:port/path?query`) and returns the response, whatever its status.
    ///
    /// - Parameters:
    ///   - headers: extra request header fields, such as `["Accept": "application/openmetrics-text"]`.
    ///   - timeout: seconds for everything: connecting, sending and receiving the whole body.
    ///   - maxBodyBytes: the largest body accepted; a larger one fails with `bodyTooLarge`.
    /// - Throws: `HTTPClientError`, one line saying what went wrong.
    public static func get(
        url: String, headers: [String: String] = [:], timeout: Double = 5, maxBodyBytes: Int = defaultMaxBodyBytes
    ) throws -> HTTPClientResponse {
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
        let limits = ReadLimits(url: url, deadline: deadline, timeout: timeout, maxBodyBytes: max(0, maxBodyBytes))
        return try receive(on: descriptor, within: limits)
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

    /// What bounds one response: the deadline and the body limit, with the URL for messages.
    private struct ReadLimits {
        let url: String
        /// When the exchange must be over, in `SystemClock.monotonicSeconds()`.
        let deadline: Double
        /// The timeout the deadline came from, for the message.
        let timeout: Double
        let maxBodyBytes: Int

        /// Fails once the deadline has passed.
        func checkDeadline() throws(HTTPClientError) {
            guard SystemClock.monotonicSeconds() < deadline else { throw .timedOut(url: url, seconds: timeout) }
        }
    }

    /// Reads the response: its head, then the body by `Content-Length` or to the end of the stream.
    private static func receive(on descriptor: Int32, within limits: ReadLimits) throws(HTTPClientError) -> HTTPClientResponse {
        let url = limits.url
        var received: [UInt8] = []
        // Where the search for the blank line that ends the head goes on from: bytes searched
        // once are not searched again, so finding the end is linear in the head's length.
        var searchedUpTo = 0
        var interimResponses = 0
        var head: (fields: ResponseHead, length: Int)?
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if head == nil, let end = headEnd(in: received, searchedUpTo: &searchedUpTo) {
                guard end <= maxHeadBytes else { throw .malformedResponse(url: url, reason: headTooLarge) }
                let fields = try parseHead(received[..<end], limits: limits)
                // An interim response (100 Continue, 103 Early Hints) comes before the real one.
                if (100..<200).contains(fields.status) {
                    interimResponses += 1
                    guard interimResponses <= maxInterimResponses else {
                        throw .malformedResponse(url: url, reason: "more than \(maxInterimResponses) interim (1xx) responses before the final one")
                    }
                    received.removeFirst(end)
                    searchedUpTo = 0
                    continue
                }
                head = (fields, end)
            }
            if let head {
                let bodyBytes = received.count - head.length
                if let bodyLength = head.fields.bodyLength, bodyBytes >= bodyLength {
                    return head.fields.response(body: Array(received[head.length..<(head.length + bodyLength)]))
                }
                guard bodyBytes <= limits.maxBodyBytes else { throw .bodyTooLarge(url: url, limit: limits.maxBodyBytes) }
            } else {
                guard received.count <= maxHeadBytes else { throw .malformedResponse(url: url, reason: headTooLarge) }
            }
            // Checked before every read, not only when there is nothing to read: a server that
            // keeps sending must not keep the client past its deadline.
            try limits.checkDeadline()
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
                return head.fields.response(body: Array(received[head.length...]))
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                guard wait(for: Int16(POLLIN), on: descriptor, until: limits.deadline) else { throw .timedOut(url: url, seconds: limits.timeout) }
            } else {
                throw .connectionFailed(url: url, reason: systemErrorText(errno))
            }
        }
    }

    /// Why a head over `maxHeadBytes` is refused.
    private static let headTooLarge = "the header is longer than \(maxHeadBytes >> 10) KiB"

    /// A response's status line and header fields, and how long its body is.
    private struct ResponseHead {
        let status: Int
        /// The reason phrase as the server wrote it, possibly empty.
        let reasonPhrase: String
        let headers: HTTPHeaders
        /// The body's length, or nil when it runs to the end of the stream.
        let bodyLength: Int?

        /// The response with this head and `body`.
        func response(body: [UInt8]) -> HTTPClientResponse {
            HTTPClientResponse(status: status, reasonPhrase: reasonPhrase, headers: headers, body: body)
        }
    }

    /// The index just past the blank line that ends a response head, or nil when it has not
    /// come yet; then `searchedUpTo` moves to where the next search must start.
    ///
    /// A line feed followed by a line feed, or by CR LF, ends the head. Every byte is looked
    /// at once however many reads the head arrives in; only a line feed too close to the end
    /// to tell is looked at again.
    private static func headEnd(in bytes: [UInt8], searchedUpTo: inout Int) -> Int? {
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var index = searchedUpTo
        while index < bytes.count {
            if bytes[index] == lf {
                guard index + 1 < bytes.count else { break }
                if bytes[index + 1] == lf { return index + 2 }
                guard index + 2 < bytes.count else { break }
                if bytes[index + 1] == cr, bytes[index + 2] == lf { return index + 3 }
            }
            index += 1
        }
        searchedUpTo = index
        return nil
    }

    /// The status line and header fields of a response head.
    private static func parseHead(_ bytes: ArraySlice<UInt8>, limits: ReadLimits) throws(HTTPClientError) -> ResponseHead {
        let url = limits.url
        let lines = bytes.split(separator: UInt8(ascii: "\n")).map { $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0 }
        let statusLine = String(decoding: lines.first ?? [], as: UTF8.self)
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
            throw .malformedResponse(url: url, reason: "the status line is not HTTP/1.x NNN")
        }
        let reasonPhrase = parts.count > 2 ? String(parts[2]).trimmingSpaces : ""
        var headers = HTTPHeaders()
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), HTTPHeaders.isToken(line[..<colon]),
                  HTTPHeaders.isFieldValue(line[(colon + 1)...])
            else {
                throw .malformedResponse(url: url, reason: "a header line is not Name: value")
            }
            headers.add(name: String(decoding: line[..<colon], as: UTF8.self), value: String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces)
        }
        if status == 204 || status == 304 || (100..<200).contains(status) {
            return ResponseHead(status: status, reasonPhrase: reasonPhrase, headers: headers, bodyLength: 0)
        }
        guard headers["Transfer-Encoding"] == nil else {
            throw .malformedResponse(url: url, reason: "Transfer-Encoding bodies are not supported; this client reads Content-Length")
        }
        let bodyLength = try contentLength(headers.values(for: "Content-Length"), limits: limits)
        return ResponseHead(status: status, reasonPhrase: reasonPhrase, headers: headers, bodyLength: bodyLength)
    }

    /// The body length the `Content-Length` fields announce, or nil when there are none.
    ///
    /// The value must be digits (RFC 9112, section 6.3): an empty or signed one is an error,
    /// not "no body", and so are fields that disagree, because the body's end would be a guess.
    /// A length over the limit fails here, before a byte of the body is read.
    private static func contentLength(_ values: [String], limits: ReadLimits) throws(HTTPClientError) -> Int? {
        guard let text = values.first else { return nil }
        guard values.allSatisfy({ $0 == text }) else {
            throw .malformedResponse(url: limits.url, reason: "\(values.count) Content-Length fields that disagree")
        }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            let shown = text.isEmpty ? "an empty Content-Length" : "Content-Length \"\(text.prefix(40))\""
            throw .malformedResponse(url: limits.url, reason: "\(shown) is not a number of bytes")
        }
        // More digits than an Int holds is more than any limit.
        let length = Int(text) ?? .max
        guard length <= limits.maxBodyBytes else { throw .bodyTooLarge(url: limits.url, limit: limits.maxBodyBytes) }
        return length
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
