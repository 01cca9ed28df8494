import Platform

/// What a handler answers: a status, header fields and the body bytes.
///
/// The server owns the framing: it writes `Content-Length` from the body, `Date`, and
/// `Connection` as the connection requires, replacing any the handler set. Answer `HEAD`
/// exactly as `GET`: the server sends the headers, with the `Content-Length` of that
/// body, and leaves the body out.
public struct HTTPResponse: Sendable, Equatable {
    /// The status code, 200 through 599 (the 1xx interim responses belong to the protocol, not to handlers).
    public var status: Int {
        didSet { HTTPResponse.checkStatus(status) }
    }
    /// The header fields the handler chose, such as `Content-Type`.
    public var headers: HTTPHeaders
    /// The body bytes.
    public var body: [UInt8]

    /// A response; `status` must be in 200...599.
    public init(status: Int = 200, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        HTTPResponse.checkStatus(status)
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A plain-text response (`text/plain; charset=utf-8`).
    public static func text(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// The 404 a handler returns for a path it does not serve.
    public static func notFound(_ request: HTTPRequest) -> HTTPResponse {
        .text("no route for \(request.path); try /metrics\n", status: 404)
    }

    /// The standard reason phrase for the status, as written in the status line.
    public var reasonPhrase: String {
        HTTPResponse.reasonPhrase(for: status)
    }

    /// The reason phrase IANA registers for `status`, or, for a code it does not register,
    /// the name of its class (RFC 9110, section 15): clients act on the code, never the phrase,
    /// but a person reading the status line should not see a bare number.
    /// See https://www.iana.org/assignments/http-status-codes/
    public static func reasonPhrase(for status: Int) -> String {
        if let phrase = reasonPhrases[status] { return phrase }
        switch status {
        case 100..<200: return "Informational"
        case 200..<300: return "Successful"
        case 300..<400: return "Redirection"
        case 400..<500: return "Client Error"
        default: return "Server Error"
        }
    }

    private static let reasonPhrases: [Int: String] = [
        100: "Continue", 101: "Switching Protocols", 103: "Early Hints",
        200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information", 204: "No Content",
        205: "Reset Content", 206: "Partial Content", 207: "Multi-Status", 208: "Already Reported", 226: "IM Used",
        300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
        305: "Use Proxy", 307: "Temporary Redirect", 308: "Permanent Redirect",
        400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
        405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required", 408: "Request Timeout",
        409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed", 413: "Content Too Large",
        414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable", 417: "Expectation Failed",
        421: "Misdirected Request", 422: "Unprocessable Content", 423: "Locked", 424: "Failed Dependency",
        425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
        431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
        500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
        504: "Gateway Timeout", 505: "HTTP Version Not Supported", 506: "Variant Also Negotiates",
        507: "Insufficient Storage", 508: "Loop Detected", 511: "Network Authentication Required",
    ]

    private static func checkStatus(_ status: Int) {
        precondition((200...599).contains(status), "HTTP status \(status) is out of range: a handler answers with 200 through 599")
    }

    // MARK: Writing

    /// Fields the server writes itself: the ones that frame the message or describe the connection.
    private static let framingFields = ["Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive"]

    /// The response as bytes on the wire, and whether the connection must close after it.
    ///
    /// - Parameters:
    ///   - request: the request answered, or nil when the bytes received were not a request
    ///     the server could understand (then the connection always closes).
    ///   - keepAlive: whether the server is willing to keep the connection open.
    func encoded(answering request: HTTPRequest?, keepAlive: Bool) -> (bytes: [UInt8], close: Bool) {
        let close = request == nil || !keepAlive || headers.contains(token: "close", in: "Connection")
        // HTTP/1.1 stays open by default; an HTTP/1.0 client that asked to keep it open is told it is.
        let connection = close ? "close" : request?.version.keepsAliveByDefault == true ? nil : "keep-alive"
        // 204 and 304 never carry a body, so they have no length to announce either.
        let bodiless = status == 204 || status == 304
        var head = "HTTP/1.1 \(status) \(reasonPhrase)\r\n"
        for field in headers where !HTTPResponse.framingFields.contains(where: { HTTPHeaders.sameName($0, field.name) }) {
            head += "\(field.name): \(field.value)\r\n"
        }
        if headers["Date"] == nil { head += "Date: \(httpDate(time(nil)))\r\n" }
        if !bodiless { head += "Content-Length: \(body.count)\r\n" }
        if let connection { head += "Connection: \(connection)\r\n" }
        head += "\r\n"
        var bytes = Array(head.utf8)
        // HEAD gets the head of the GET response: its length announced, its body left out.
        if request?.method != "HEAD", !bodiless { bytes.append(contentsOf: body) }
        return (bytes, close)
    }
}

/// `seconds` since the epoch in HTTP's date format: `Sun, 06 Nov 1994 08:49:37 GMT`.
///
/// Written by hand rather than with `strftime`, whose day and month names follow the
/// process's locale; HTTP's are always English.
func httpDate(_ seconds: time_t) -> String {
    var clock = seconds
    var parts = tm()
    gmtime_r(&clock, &parts)
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(days[Int(parts.tm_wday)]), \(twoDigits(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
        + "\(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec)) GMT"
}
