/// The endpoints the API answers, read from a request's path below `/api/v1`.
enum APIRoute: Equatable {
    case query, queryRange, queryExemplars, series, labels, labelValues(name: String), metadata, targets, buildInfo

    /// Every path answered, for the 404's hint.
    static let paths = [
        "/api/v1/query", "/api/v1/query_range", "/api/v1/query_exemplars", "/api/v1/series", "/api/v1/labels", "/api/v1/label/<name>/values",
        "/api/v1/metadata", "/api/v1/targets", "/api/v1/status/buildinfo",
    ]

    /// The route for `path` (decoded, without `/api/v1`), or nil when there is none.
    init?(path: String) {
        switch path {
        case "/query": self = .query
        case "/query_range": self = .queryRange
        case "/query_exemplars": self = .queryExemplars
        case "/series": self = .series
        case "/labels": self = .labels
        case "/metadata": self = .metadata
        case "/targets": self = .targets
        case "/status/buildinfo": self = .buildInfo
        default:
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0].isEmpty, parts[1] == "label", !parts[2].isEmpty, parts[3] == "values" else { return nil }
            self = .labelValues(name: String(parts[2]))
        }
    }

    /// The methods it answers. Queries and the series and label lookups take POST too, for
    /// queries and selectors longer than a URL may be; `HEAD` is answered wherever `GET` is.
    var methods: [String] {
        switch self {
        case .query, .queryRange, .queryExemplars, .series, .labels: ["GET", "HEAD", "POST"]
        case .labelValues, .metadata, .targets, .buildInfo: ["GET", "HEAD"]
        }
    }
}
