import Dispatch

/// Passes requests on to another server and its answers back, as `lesson serve all` does for
/// the lesson service: checked, and never allowed to take every thread of the server it runs in.
///
/// - An answer with a status outside 200–599, or no answer in time, becomes 502.
/// - The hop-by-hop headers (`Connection`, `Keep-Alive`, `Transfer-Encoding` …) stay on the
///   origin's hop: the serving server frames its own response, so an origin that closes its
///   connections does not end the client's keep-alive or pipelined requests.
/// - At most `maxConcurrent` requests are forwarded at once; one more is answered 503 at once,
///   so a slow origin cannot hold the handler threads other routes (`/metrics`) need.
public final class HTTPProxy: Sendable {
    /// The origin: scheme, host and port, such as `http://127.0.0.1:41234`.
    public let origin: String
    public let maxConcurrent: Int
    public let timeout: Double
    private let slots: DispatchSemaphore

    public init(origin: String, maxConcurrent: Int, timeout: Double = 15) {
        precondition(maxConcurrent > 0, "a proxy must allow at least one request at a time")
        self.origin = origin
        self.maxConcurrent = maxConcurrent
        self.timeout = timeout
        slots = DispatchSemaphore(value: maxConcurrent)
    }

    /// The headers that belong to one connection, not to the message.
    static let hopByHopHeaders = ["Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Upgrade", "Proxy-Connection", "TE", "Trailer"]

    /// Forwards `request` (a GET) to the origin and returns what to answer.
    public func forward(_ request: HTTPRequest) -> HTTPResponse {
        guard slots.wait(timeout: .now()) == .success else {
            var busy = HTTPResponse.text("the service behind this proxy is busy; try again in a moment\n", status: 503)
            busy.headers["Retry-After"] = "1"
            return busy
        }
        defer { slots.signal() }
        let target = origin + request.path + (request.query.isEmpty ? "" : "?" + request.query)
        guard let response = try? HTTPClient.get(url: target, timeout: timeout) else {
            return HTTPResponse.text("the service behind this proxy did not answer\n", status: 502)
        }
        guard (200...599).contains(response.status) else {
            return HTTPResponse.text("the service behind this proxy answered with status \(response.status), which cannot be passed on\n", status: 502)
        }
        var headers = response.headers
        for name in Self.hopByHopHeaders { headers.remove(name) }
        return HTTPResponse(status: response.status, headers: headers, body: response.body)
    }
}
