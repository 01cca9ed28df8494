import HTTP
import Instrumentation
import PromQL
import TimeSeries

/// Answers the read side of Prometheus's HTTP API over the engine's store: what Grafana,
/// `promtool` and a browser ask a Prometheus server.
///
/// | path | methods | answers |
/// | --- | --- | --- |
/// | `/api/v1/query` | GET, POST | `query` at `time` (default now), with an optional `timeout` |
/// | `/api/v1/query_range` | GET, POST | `query` from `start` to `end` every `step` |
/// | `/api/v1/series` | GET, POST | the label sets matching each `match[]` between `start` and `end` |
/// | `/api/v1/labels` | GET, POST | every label name (of the series matching `match[]`, if given) |
/// | `/api/v1/label/<name>/values` | GET | every value of label `name` |
/// | `/api/v1/metadata` | GET | each family's type, help and unit (`metric`, `limit`) |
/// | `/api/v1/targets` | GET | the scrape targets and their health (`state`, `scrapePool`) |
/// | `/api/v1/status/buildinfo` | GET | the version |
///
/// Every answer is JSON in Prometheus's envelope: `{"status":"success","data":…}`, or
/// `{"status":"error","errorType":…,"error":…}` with the status Prometheus gives that type
/// (see `APIError`). An unknown path below `/api/v1` gets 404, a method the path does not
/// take 405; other paths are not the endpoint's (`handle` returns nil), so it composes
/// with `MetricsEndpoint` on one port:
///
/// ```swift
/// let api = PrometheusAPIEndpoint(engine: PromQLEngine(store: store))
/// let metrics = MetricsEndpoint(registry: registry)
/// let server = HTTPServer(port: 3001) { request in
///     api.handle(request) ?? metrics.handle(request) ?? .notFound(request)
/// }
/// ```
///
/// Parameters come from the URL query and, for a POST, from an
/// `application/x-www-form-urlencoded` body (a body parameter wins over a query parameter of
/// the same name); the server must list POST in its `HTTPServerLimits.methods` to pass bodies on. A request is refused
/// with `bad_data` when its parameters are malformed or over `limits`, and a query whose
/// answer is over `limits` with `execution`; the engine's sample budget and timeout bound
/// the evaluation itself.
/// See https://prometheus.io/docs/prometheus/latest/querying/api/
public struct PrometheusAPIEndpoint: Sendable {
    /// The path every endpoint lives below.
    public static let pathPrefix = "/api/v1"

    /// The engine queries run on; its store answers the series and label lookups. Its
    /// `timeoutSeconds` is the longest a query may run (a request's `timeout` can only
    /// shorten it), its `maximumSamples` the most samples one query may load.
    public let engine: PromQLEngine
    /// The caps on a request's parameters and a query's answer.
    public let limits: APILimits
    /// Where `/api/v1/metadata` gets its families; none means an empty answer.
    public let metadata: (any MetadataProvider)?
    /// Where `/api/v1/targets` gets its targets; none means no targets.
    public let targets: (any TargetProvider)?
    /// What `/api/v1/status/buildinfo` says.
    public let buildInfo: BuildInfo
    /// What "now" is, for an instant query without `time`.
    public let clock: any MetricsClock

    /// An endpoint answering from `engine` and its store.
    ///
    /// - Parameter buildInfo: the version reported; by default the Prometheus release whose
    ///   rules `engine.semantics` follows.
    public init(
        engine: PromQLEngine, limits: APILimits = APILimits(), metadata: (any MetadataProvider)? = nil,
        targets: (any TargetProvider)? = nil, buildInfo: BuildInfo? = nil, clock: any MetricsClock = WallClock()
    ) {
        self.engine = engine
        self.limits = limits
        self.metadata = metadata
        self.targets = targets
        self.buildInfo = buildInfo ?? .imitating(engine.semantics)
        self.clock = clock
    }

    /// The answer to a request below `/api/v1`, or nil for any other path.
    ///
    /// A POST's body (`request.body`) is read when its `Content-Type` is
    /// `application/x-www-form-urlencoded`.
    public func handle(_ request: HTTPRequest) -> HTTPResponse? {
        guard request.path == Self.pathPrefix || request.path.hasPrefix(Self.pathPrefix + "/") else { return nil }
        let path: String
        do {
            path = try FormParameters.percentDecoded(Array(request.path.utf8)[...], plusAsSpace: false)
        } catch {
            return Self.failure(APIError(.badData, "the path \(quoted(request.path)) is malformed: \(error)"))
        }
        guard let route = APIRoute(path: String(path.dropFirst(Self.pathPrefix.count))) else {
            return .text("no API endpoint \(path); this server answers \(APIRoute.paths.joined(separator: ", "))\n", status: 404)
        }
        guard route.methods.contains(request.method) else {
            var refusal = HTTPResponse.text("\(request.method) is not allowed on \(path); use \(route.methods.joined(separator: " or "))\n", status: 405)
            refusal.headers["Allow"] = route.methods.joined(separator: ", ")
            return refusal
        }
        do {
            let form = try parameters(of: request, body: request.body)
            // No data and no error: Prometheus's 204, with no body.
            guard let data = try answer(route, form) else { return HTTPResponse(status: 204, headers: [:], body: []) }
            return Self.success(data)
        } catch let error as APIError {
            return Self.failure(error)
        } catch {
            return Self.failure(APIError(.internal, "\(error)"))
        }
    }

    /// A whole handler: the API below `/api/v1`, and `fallback` (404 by default) for every other path.
    public func makeHandler(
        otherwise fallback: @escaping @Sendable (HTTPRequest) -> HTTPResponse = HTTPResponse.notFound
    ) -> @Sendable (HTTPRequest) -> HTTPResponse {
        { request in handle(request) ?? fallback(request) }
    }

    /// The `data` of a successful answer to `route`, or nil when there is none to give.
    private func answer(_ route: APIRoute, _ form: FormParameters) throws -> String? {
        switch route {
        case .query: try query(form)
        case .queryRange: try queryRange(form)
        case .queryExemplars: try queryExemplars(form)
        case .series: try series(form)
        case .labels: try labelNames(form)
        case .labelValues(let name): try labelValues(name, form)
        case .metadata: try metricMetadata(form)
        case .targets: targetList(form)
        case .buildInfo: buildInfoJSON
        }
    }

    /// The request's parameters: a form body's (for a POST), then the URL query's, as Go reads them.
    private func parameters(of request: HTTPRequest, body: [UInt8]) throws -> FormParameters {
        // The media type without its parameters (`; charset=utf-8`); it has no spaces of its own.
        let mediaType = request.headers["Content-Type"].map { $0.prefix { $0 != ";" }.filter { $0 != " " && $0 != "\t" }.lowercased() }
        let formBody: [UInt8]
        if request.method == "POST", !body.isEmpty {
            guard mediaType == "application/x-www-form-urlencoded" else {
                throw APIError(.badData, "a POST body must be a form (Content-Type: application/x-www-form-urlencoded), not \(quoted(mediaType ?? "untyped bytes"))")
            }
            formBody = body
        } else {
            formBody = []
        }
        let size = formBody.count + request.query.utf8.count
        guard size <= limits.maximumParameterBytes else {
            throw APIError(.badData, "the request's parameters take \(size) bytes, more than the limit of \(limits.maximumParameterBytes)")
        }
        do {
            let form = try FormParameters(decoding: formBody, maximumParameters: limits.maximumParameters)
                + FormParameters(decoding: request.query.utf8, maximumParameters: limits.maximumParameters)
            guard form.parameters.count <= limits.maximumParameters else {
                throw FormParameters.DecodingError(description: "more than \(limits.maximumParameters) parameters")
            }
            return form
        } catch {
            throw APIError(.badData, "error parsing form values: \(error)")
        }
    }

    private static func success(_ data: String) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Array(#"{"status":"success","data":"#.utf8) + Array(data.utf8) + [UInt8(ascii: "}")])
    }

    private static func failure(_ error: APIError) -> HTTPResponse {
        HTTPResponse(status: error.kind.status, headers: ["Content-Type": "application/json"], body: Array(error.json.utf8))
    }
}
