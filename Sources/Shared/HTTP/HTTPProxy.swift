import Dispatch

/// Passes requests on to another server and its answers back, as `lesson serve all` does for
/// the lesson service: checked, and never allowed to take every thread of the server it runs in.
///
/// - An answer with a status outside 200–599, or no answer in time, becomes 502.
/// - The request's end-to-end headers go on to the origin (`Accept` above all, so a scraper
///   that asks for OpenMetrics gets it from behind the proxy too); `Host` and the hop-by-hop
///   headers do not.
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

    /// The request headers to pass on: all but `Host`, the hop-by-hop ones and those the
    /// request's `Connection` header names; one value per name (the first), as sent.
    static func endToEndHeaders(of request: HTTPRequest) -> [String: String] {
        let named = (request.headers["Connection"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let dropped = Set((hopByHopHeaders + ["Host"]).map { $0.lowercased() } + named)
        var headers: [String: String] = [:]
        for field in request.headers where !dropped.contains(field.name.lowercased()) {
            guard HTTPHeaders.isToken(field.name.utf8), HTTPHeaders.isFieldValue(field.value.utf8),
                  !headers.keys.contains(where: { HTTPHeaders.sameName($0, field.name) }) else { continue }
            headers[field.name] = field.value
        }
        return headers
    }

    /// Forwards `request` (a GET) to the origin and returns what to answer.
    public func forward(_ request: HTTPRequest) -> HTTPResponse {
        guard slots.wait(timeout: .now()) == .success else {
            var busy = HTTPResponse.text("the service behind this proxy is busy; try again in a moment\n", status: 503)
            busy.headers["Retry-After"] = "1"
            return busy
        }
        defer { slots.signal() }
        let target = origin + request.path + (request.query.isEmpty ? "" : "?" + request.query)
        guard let response = try? HTTPClient.get(url: target, headers: Self.endToEndHeaders(of: request), timeout: timeout) else {
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
