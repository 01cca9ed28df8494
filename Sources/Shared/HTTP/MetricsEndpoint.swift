import Instrumentation

/// Serves a registry's metrics at `/metrics` in the format the scraper asks for.
///
/// Prometheus 2.x sends
/// `Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1`
/// and gets OpenMetrics; curl and browsers, which send `*/*` or nothing, get the text
/// format 0.0.4, which every Prometheus reads. Each scrape collects the registry afresh.
///
/// Compose it with a lesson's own routes: `handle(_:)` answers its path and returns nil
/// for any other.
///
/// ```swift
/// let metrics = MetricsEndpoint(registry: registry)
/// let server = HTTPServer(port: 3001) { request in
///     metrics.handle(request) ?? checkout(request)
/// }
/// ```
/// See https://prometheus.io/docs/instrumenting/content_negotiation/
public struct MetricsEndpoint: Sendable {
    /// The registry whose metrics are served.
    public let registry: Registry
    /// The path served: `/metrics`.
    public let path: String
    /// The formats offered; the Accept header chooses among them.
    public let formats: [ExpositionFormat]

    /// An endpoint serving `registry` at `path`.
    ///
    /// - Parameter formats: the formats to offer, at least one. Offer only `[.prometheus]`
    ///   to answer in the text format whatever the scraper prefers.
    public init(registry: Registry, path: String = "/metrics", formats: [ExpositionFormat] = ExpositionFormat.allCases) {
        precondition(!formats.isEmpty, "MetricsEndpoint: offer at least one exposition format")
        precondition(path.hasPrefix("/"), "MetricsEndpoint: the path must start with /, got \(path)")
        self.registry = registry
        self.path = path
        self.formats = formats
    }

    /// The exposition for a request to `path` (the server passes only `GET` and `HEAD`),
    /// or nil when the request is for another path.
    public func handle(_ request: HTTPRequest) -> HTTPResponse? {
        guard request.path == path else { return nil }
        let format = format(forAccept: request.headers["Accept"])
        // Vary: a cache between scraper and server must not hand one format to a client that asked for the other.
        return HTTPResponse(
            status: 200, headers: ["Content-Type": format.contentType, "Vary": "Accept"],
            body: format.encode(registry.collect()))
    }

    /// A whole handler: the exposition at `path`, and `fallback` (404 by default) for every other path.
    public func makeHandler(
        otherwise fallback: @escaping @Sendable (HTTPRequest) -> HTTPResponse = HTTPResponse.notFound
    ) -> @Sendable (HTTPRequest) -> HTTPResponse {
        { request in handle(request) ?? fallback(request) }
    }

    /// The offered format an `Accept` header prefers.
    ///
    /// Each format takes the weight of the most specific range that matches it; the
    /// highest weight above 0 wins. Ties go to the more specific range, then to the one
    /// listed first, then to the text format. When nothing offered is acceptable, or there
    /// is no header, the answer is the text format (if offered): a scraper that cannot
    /// parse it would fail the same way on a 406, and every Prometheus can.
    public func format(forAccept accept: String?) -> ExpositionFormat {
        Self.format(forAccept: accept, offering: formats)
    }

    /// The format of `formats` (at least one) an `Accept` header prefers, chosen as
    /// `format(forAccept:)` chooses; for a server that offers expositions without a registry
    /// of its own, such as `lesson serve all`'s merged one.
    public static func format(forAccept accept: String?, offering formats: [ExpositionFormat]) -> ExpositionFormat {
        precondition(!formats.isEmpty, "MetricsEndpoint: offer at least one exposition format")
        let fallback = formats.contains(.prometheus) ? ExpositionFormat.prometheus : formats[0]
        guard let accept else { return fallback }
        let ranges = MediaRange.parseAccept(accept)
        var best: Preference?
        for format in formats {
            let (type, subtype, versions) = MetricsEndpoint.mediaType(of: format)
            // The most specific matching range speaks for the format (`text/plain;q=0` beats `*/*`).
            let matches = ranges.compactMap { range in
                range.specificity(type: type, subtype: subtype, versions: versions).map { (range: range, specificity: $0) }
            }
            guard let specificity = matches.map(\.specificity).max() else { continue }
            let decisive = matches.filter { $0.specificity == specificity }.map(\.range).max { $0.quality < $1.quality }!
            guard decisive.quality > 0 else { continue }
            let candidate = Preference(format: format, quality: decisive.quality, specificity: specificity, position: decisive.position)
            if best.map({ candidate.beats($0, fallback: fallback) }) ?? true { best = candidate }
        }
        return best?.format ?? fallback
    }

    /// How much an Accept header wants one format.
    private struct Preference {
        let format: ExpositionFormat
        let quality: Double
        let specificity: Int
        let position: Int

        func beats(_ other: Preference, fallback: ExpositionFormat) -> Bool {
            if quality != other.quality { return quality > other.quality }
            if specificity != other.specificity { return specificity > other.specificity }
            if position != other.position { return position < other.position }
            return format == fallback
        }
    }

    /// The media type of a format and the `version` parameters that name it.
    ///
    /// OpenMetrics 0.0.1 is the draft name of the format that became 1.0.0; Prometheus
    /// and client_golang treat a request for either as a request for OpenMetrics.
    private static func mediaType(of format: ExpositionFormat) -> (type: String, subtype: String, versions: [String]) {
        switch format {
        case .prometheus: ("text", "plain", ["0.0.4"])
        case .openmetrics: ("application", "openmetrics-text", ["1.0.0", "0.0.1"])
        }
    }
}
