/// Why `HTTPClient.get` got no usable response; each description is one line.
public enum HTTPClientError: Error, Equatable, CustomStringConvertible {
    /// The URL is not `http://host[:port]/path`.
    case invalidURL(String, reason: String)
    /// A request header has a name that is not an HTTP token or a value with a line break.
    case invalidHeader(String)
    /// The host name could not be resolved.
    case unknownHost(String, reason: String)
    /// Nothing listens at the address (`host:port`).
    case connectionRefused(String)
    /// Connecting, sending or receiving failed for another reason.
    case connectionFailed(url: String, reason: String)
    /// No complete response arrived within the timeout, whether the server went quiet or kept sending.
    case timedOut(url: String, seconds: Double)
    /// The body is larger than the limit the caller set (in bytes), by its `Content-Length` or by what arrived.
    case bodyTooLarge(url: String, limit: Int)
    /// The server answered with something that is not an HTTP/1.x response this client reads.
    case malformedResponse(url: String, reason: String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            "invalid URL \"\(url)\": \(reason); expected http://host:port/path"
        case .invalidHeader(let name):
            "request header \"\(name)\" is not valid: use a name of letters, digits and -, and a value without line breaks"
        case .unknownHost(let host, let reason):
            "cannot resolve host \(host) (\(reason))"
        case .connectionRefused(let address):
            "connection refused by \(address): nothing is listening there; is the server running?"
        case .connectionFailed(let url, let reason):
            "cannot reach \(url): \(reason)"
        case .timedOut(let url, let seconds):
            "no complete response from \(url) within \(seconds.readable) seconds"
        case .bodyTooLarge(let url, let limit):
            "the response body from \(url) is larger than the limit of \(limit) bytes"
        case .malformedResponse(let url, let reason):
            "malformed response from \(url): \(reason)"
        }
    }
}

extension Double {
    /// A whole number without its `.0`, so messages read "within 2 seconds".
    fileprivate var readable: String {
        self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self)
    }
}
