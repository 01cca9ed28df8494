/// A response `HTTPClient` received: the status, the header fields and the whole body.
public struct HTTPClientResponse: Sendable, Equatable {
    /// The status code, such as 200.
    public let status: Int
    /// The reason phrase as the server wrote it (`Bad Gateway`), possibly empty; it carries no meaning.
    public let reasonPhrase: String
    /// The header fields; look them up in any case: `headers["content-type"]`.
    public let headers: HTTPHeaders
    /// The body bytes (exactly `Content-Length` of them when the server sent one).
    public let body: [UInt8]

    /// A response, as the client assembles it.
    public init(status: Int, reasonPhrase: String = "", headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.reasonPhrase = reasonPhrase
        self.headers = headers
        self.body = body
    }

    /// The status line's code and reason, as Prometheus quotes it in a scrape error: `502 Bad Gateway`.
    public var statusText: String {
        reasonPhrase.isEmpty ? String(status) : "\(status) \(reasonPhrase)"
    }

    /// The body decoded as UTF-8 (invalid sequences become U+FFFD).
    public var text: String {
        String(decoding: body, as: UTF8.self)
    }
}
