/// Reads one request head (request line and header fields) from the bytes a connection has received.
///
/// It is fed the connection's whole input each time more arrives and answers whether a
/// complete, valid head is there yet. It is strict where leniency is dangerous (a bare CR,
/// a space before a colon, folded lines, conflicting lengths: the tricks that make two
/// servers disagree about where a message ends) and lenient where HTTP asks it to be
/// (blank lines before a request, LF without CR).
/// See https://www.rfc-editor.org/rfc/rfc9112#section-2 and #section-3
struct HTTPRequestParser: Sendable {
    /// The most bytes a head may take, blank line included; more is answered with 431.
    let maxHeaderBytes: Int
    /// The longest body a request may announce; more is answered with 413.
    let maxBodyBytes: Int

    /// What the input holds so far.
    enum Outcome: Equatable {
        /// Not a whole head yet; wait for more bytes.
        case incomplete
        /// A valid head that took `headLength` bytes, announcing a body of `bodyLength` bytes.
        case request(HTTPRequest, headLength: Int, bodyLength: Int)
        /// Something no valid request can start with; answer this and close the connection.
        case failure(HTTPResponse)
    }

    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), space = UInt8(ascii: " ")

    /// Looks for a complete head at the start of `input`.
    ///
    /// - Parameter scanned: how far earlier calls searched for the blank line; kept by the
    ///   caller so a head arriving one byte at a time is not searched from the start each time.
    func parse(_ input: [UInt8], scanned: inout Int) -> Outcome {
        // HTTP asks servers to ignore blank lines before a request line (some clients send
        // an extra CRLF after a body).
        var start = 0
        while start < input.count, input[start] == Self.cr || input[start] == Self.lf { start += 1 }
        guard let end = headEnd(in: input, from: max(start, scanned)) else {
            scanned = max(start, input.count - 2)
            guard input.count > maxHeaderBytes else { return .incomplete }
            return input[start...].contains(Self.lf)
                ? .failure(.text("the request's header section is larger than \(maxHeaderBytes) bytes\n", status: 431))
                : .failure(.text("the request line is longer than \(maxHeaderBytes) bytes\n", status: 414))
        }
        guard end <= maxHeaderBytes else {
            return .failure(.text("the request's header section is larger than \(maxHeaderBytes) bytes\n", status: 431))
        }
        var lines = Self.lines(input[start..<end])
        let requestLine = lines.removeFirst()
        switch parseRequestLine(requestLine) {
        case .failure(let response):
            return .failure(response)
        case .success(var request):
            for line in lines {
                guard let field = Self.field(line) else {
                    return .failure(Self.badRequest("malformed header line; expected Name: value"))
                }
                request.headers.add(name: field.name, value: field.value)
            }
            return framing(of: request, headLength: end)
        }
    }

    /// The index just past the blank line ending the head, searching from `from`.
    private func headEnd(in input: [UInt8], from: Int) -> Int? {
        var index = from
        while index < input.count {
            defer { index += 1 }
            guard input[index] == Self.lf else { continue }
            if index + 1 < input.count, input[index + 1] == Self.lf { return index + 2 }
            if index + 2 < input.count, input[index + 1] == Self.cr, input[index + 2] == Self.lf { return index + 3 }
        }
        return nil
    }

    /// The lines of a head, without their line endings; the blank line at the end is left out.
    /// A CR that does not end a line stays in its line, where the checks below refuse it.
    private static func lines(_ head: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines = head.split(separator: lf, omittingEmptySubsequences: false).map { line in
            line.last == cr ? line.dropLast() : line
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    private enum LineResult {
        case success(HTTPRequest)
        case failure(HTTPResponse)
    }

    /// `METHOD SP target SP HTTP/1.x`, single spaces, nothing else.
    private func parseRequestLine(_ line: ArraySlice<UInt8>) -> LineResult {
        let parts = line.split(separator: Self.space, omittingEmptySubsequences: false)
        guard parts.count == 3, HTTPHeaders.isToken(parts[0]) else {
            return .failure(Self.badRequest("malformed request line; expected METHOD /path HTTP/1.1"))
        }
        let method = String(decoding: parts[0], as: UTF8.self)
        guard let version = Self.version(parts[2]) else {
            return .failure(Self.badRequest("unknown protocol version; expected HTTP/1.0 or HTTP/1.1"))
        }
        guard version.major == 1 else {
            return .failure(.text("this server speaks HTTP/1.0 and HTTP/1.1, not \(version)\n", status: 505))
        }
        // The target must be visible ASCII; anything else means a client is confused or probing.
        guard !parts[1].isEmpty, parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(Self.badRequest("malformed request target"))
        }
        var target = String(decoding: parts[1], as: UTF8.self)
        // Absolute form (`http://host/path`), which proxies send, names the same resource.
        if let scheme = ["http://", "https://"].first(where: { target.lowercased().hasPrefix($0) }) {
            let authorityAndPath = target.dropFirst(scheme.count)
            target = authorityAndPath.firstIndex(where: { $0 == "/" || $0 == "?" }).map { index in
                authorityAndPath[index] == "?" ? "/" + authorityAndPath[index...] : String(authorityAndPath[index...])
            } ?? "/"
        }
        guard target.hasPrefix("/") || target == "*" else {
            return .failure(Self.badRequest("malformed request target; expected a path starting with /"))
        }
        let question = target.firstIndex(of: "?")
        return .success(HTTPRequest(
            method: method,
            path: String(target[..<(question ?? target.endIndex)]),
            query: question.map { String(target[target.index(after: $0)...]) } ?? "",
            version: version))
    }

    /// `HTTP/` digit `.` digit, or nil.
    private static func version(_ text: ArraySlice<UInt8>) -> HTTPVersion? {
        let bytes = Array(text)
        let isDigit: (UInt8) -> Bool = { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8), isDigit(bytes[5]), bytes[6] == UInt8(ascii: "."), isDigit(bytes[7]) else {
            return nil
        }
        return HTTPVersion(major: Int(bytes[5] - UInt8(ascii: "0")), minor: Int(bytes[7] - UInt8(ascii: "0")))
    }

    /// `Name: value` with optional whitespace around the value; nil when malformed.
    private static func field(_ line: ArraySlice<UInt8>) -> (name: String, value: String)? {
        // No whitespace before the colon and no folded continuation lines: both have been
        // used to make a proxy and a server read different headers.
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), HTTPHeaders.isToken(line[..<colon]) else { return nil }
        let value = line[(colon + 1)...]
        guard HTTPHeaders.isFieldValue(value) else { return nil }
        return (String(decoding: line[..<colon], as: UTF8.self), String(decoding: value, as: UTF8.self).trimmingSpaces)
    }

    /// Checks the fields that decide where the message ends and returns the finished outcome.
    private func framing(of request: HTTPRequest, headLength: Int) -> Outcome {
        let hosts = request.headers.values(for: "Host")
        if request.version == .http1_1, hosts.count != 1 {
            return .failure(Self.badRequest("an HTTP/1.1 request needs exactly one Host header"))
        }
        if !request.headers.values(for: "Transfer-Encoding").isEmpty {
            return .failure(.text("request bodies with Transfer-Encoding are not supported; send Content-Length\n", status: 501))
        }
        // Repeated or comma-listed lengths are allowed only when they all agree.
        let lengths = request.headers.values(for: "Content-Length").flatMap { $0.split(separator: ",").map { String($0).trimmingSpaces } }
        guard let length = lengths.first else { return .request(request, headLength: headLength, bodyLength: 0) }
        guard lengths.allSatisfy({ $0 == length }), !length.isEmpty, length.utf8.count <= 18,
              length.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let bodyLength = Int(length)
        else {
            return .failure(Self.badRequest("malformed Content-Length"))
        }
        guard bodyLength <= maxBodyBytes else {
            return .failure(.text("the request body is larger than \(maxBodyBytes) bytes\n", status: 413))
        }
        return .request(request, headLength: headLength, bodyLength: bodyLength)
    }

    private static func badRequest(_ reason: String) -> HTTPResponse {
        .text("bad request: \(reason)\n", status: 400)
    }
}
