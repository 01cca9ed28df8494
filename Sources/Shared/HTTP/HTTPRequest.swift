import Platform

/// A request as the server hands it to a handler: method, path, query, version, headers
/// and body.
///
/// The body is there for the methods a server takes with one (`POST`, when its limits list
/// it); `GET` and `HEAD` requests come without it. The path and query are as sent, not
/// percent-decoded. A handler can also be called directly with a request made here,
/// which is how routes are tested without a socket.
public struct HTTPRequest: Sendable, Equatable {
    /// The method, case-sensitive as HTTP says: `GET`, `HEAD`.
    public var method: String
    /// The path of the request target, without the query: `/metrics`.
    public var path: String
    /// What followed the first `?` of the target, without the `?`; empty when there was none.
    public var query: String
    /// The version from the request line.
    public var version: HTTPVersion
    /// The header fields; look them up in any case: `headers["accept"]`.
    public var headers: HTTPHeaders
    /// The body as received (at most the server's `maxBodyBytes`); empty when there was none.
    public var body: [UInt8]

    /// A request, for calling a handler directly.
    public init(
        method: String = "GET", path: String, query: String = "", version: HTTPVersion = .http1_1, headers: HTTPHeaders = [:],
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// Whether the client wants the connection kept open after this request's response.
    ///
    /// `Connection: close` always ends it; on HTTP/1.0 only `Connection: keep-alive` keeps it.
    public var wantsKeepAlive: Bool {
        if headers.contains(token: "close", in: "Connection") { return false }
        return version.keepsAliveByDefault || headers.contains(token: "keep-alive", in: "Connection")
    }
}
