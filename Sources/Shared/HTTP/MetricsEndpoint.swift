import Instrumentation

/// Serves a registry's metrics at `/metrics` in the format the scraper asks for.
///
/// Prometheus 2.x sends
/// `Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1`
/// and gets OpenMetrics; curl and browsers, which send `*/*` or nothing, get the text
/// format 0.0.4, which every Prometheus reads. Each scrape collects the registry afresh.
///
/// Prometheus 3 also negotiates names: `escaping=allow-utf-8` in its Accept header says it
/// reads names outside the legacy character set, quoted. The registry holds legacy names
/// only, so the body is the same either way; the `Content-Type` names the scheme
/// (`; escaping=underscores`) whenever the scraper's Accept header named one.
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
        let negotiation = Self.negotiate(accept: request.headers["Accept"], offering: formats)
        // Vary: a cache between scraper and server must not hand one format to a client that asked for the other.
        return HTTPResponse(
            status: 200, headers: ["Content-Type": negotiation.contentType, "Vary": "Accept"],
            body: negotiation.format.encode(registry.collect()))
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
        negotiate(accept: accept, offering: formats).format
    }

    /// What an `Accept` header settles among `formats` (at least one): the format, chosen as
    /// `format(forAccept:)` chooses, and how names outside the legacy character set are written.
    ///
    /// The scheme is the `escaping` parameter of the range that chose the format
    /// (`application/openmetrics-text;version=1.0.0;escaping=allow-utf-8`), or `underscores`
    /// when that range names none or one this server does not know. (prometheus/common also
    /// carries a scheme over from a preferred range that matched no format; here a scraper
    /// gets UTF-8 names only in a format it said it reads them in.)
    public static func negotiate(accept: String?, offering formats: [ExpositionFormat]) -> Negotiation {
        precondition(!formats.isEmpty, "MetricsEndpoint: offer at least one exposition format")
        let fallback = formats.contains(.prometheus) ? ExpositionFormat.prometheus : formats[0]
        guard let accept else { return Negotiation(format: fallback, escaping: .default, namesEscaping: false) }
        let ranges = MediaRange.parseAccept(accept)
        let namesEscaping = ranges.contains { $0.parameters["escaping"] != nil }
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
            let candidate = Preference(format: format, range: decisive, specificity: specificity)
            if best.map({ candidate.beats($0, fallback: fallback) }) ?? true { best = candidate }
        }
        guard let best else { return Negotiation(format: fallback, escaping: .default, namesEscaping: namesEscaping) }
        let escaping = best.range.parameters["escaping"].flatMap(NameEscaping.init(rawValue:)) ?? .default
        return Negotiation(format: best.format, escaping: escaping, namesEscaping: namesEscaping)
    }

    /// What an `Accept` header settled: the format to answer in and how to write names.
    public struct Negotiation: Sendable, Equatable {
        /// The exposition format.
        public let format: ExpositionFormat
        /// How names outside the legacy character set are written.
        public let escaping: NameEscaping
        /// Whether the Accept header named an escaping scheme anywhere, as Prometheus 3's does:
        /// such a scraper is told the scheme in the `Content-Type`. One that never names a
        /// scheme (Prometheus 2, curl) gets the `Content-Type` it always got, and legacy names.
        public let namesEscaping: Bool

        /// The `Content-Type` of the answer: the format's, and `; escaping=…` for a scraper
        /// that negotiates names.
        public var contentType: String {
            namesEscaping ? format.contentType + "; escaping=" + escaping.rawValue : format.contentType
        }

        /// A settlement: answer in `format`, writing names as `escaping` says, and tell the
        /// scraper the scheme when `namesEscaping`.
        public init(format: ExpositionFormat, escaping: NameEscaping = .default, namesEscaping: Bool = false) {
            self.format = format
            self.escaping = escaping
            self.namesEscaping = namesEscaping
        }
    }

    /// How much an Accept header wants one format.
    private struct Preference {
        let format: ExpositionFormat
        /// The range that speaks for the format: its weight, position and `escaping`.
        let range: MediaRange
        let specificity: Int

        func beats(_ other: Preference, fallback: ExpositionFormat) -> Bool {
            if range.quality != other.range.quality { return range.quality > other.range.quality }
            if specificity != other.specificity { return specificity > other.specificity }
            if range.position != other.range.position { return range.position < other.range.position }
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
