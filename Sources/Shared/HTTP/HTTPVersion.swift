/// The protocol version of a request line, `HTTP/1.0` or `HTTP/1.1`.
///
/// It decides how a connection ends: HTTP/1.1 keeps it open after a response unless
/// a side says `Connection: close`; HTTP/1.0 closes it unless the client asks for
/// `Connection: keep-alive`.
/// See https://www.rfc-editor.org/rfc/rfc9112#section-9.3
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    /// The digit before the dot.
    public let major: Int
    /// The digit after the dot.
    public let minor: Int

    /// HTTP/1.0: one request per connection unless the client asks for keep-alive.
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// HTTP/1.1: persistent connections and the `Host` header are the default.
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// A version; the server parses only `HTTP/1.x` request lines.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Whether connections stay open between requests unless a side says otherwise (1.1 and later 1.x).
    public var keepsAliveByDefault: Bool {
        major > 1 || (major == 1 && minor >= 1)
    }

    /// As written in a request line: `HTTP/1.1`.
    public var description: String {
        "HTTP/\(major).\(minor)"
    }
}
