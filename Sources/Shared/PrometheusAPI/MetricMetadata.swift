/// What `/api/v1/metadata` says about one metric family: its type, help text and unit, as
/// its `# TYPE`, `# HELP` and `# UNIT` lines declared them.
///
/// Prometheus answers from the metadata of the families its targets exposed; a family
/// exposed by several targets with different help texts appears once per text.
/// See https://prometheus.io/docs/prometheus/latest/querying/api/#querying-metric-metadata
public struct MetricMetadata: Sendable, Equatable {
    /// The family name, as the metadata lines write it (`http_requests_total` in the text
    /// format 0.0.4, `http_requests` in OpenMetrics).
    public let name: String
    /// The type as Prometheus spells it: `counter`, `gauge`, `histogram`, `summary`,
    /// `gaugehistogram`, `stateset`, `info` or `unknown`.
    public let type: String
    /// The help text, "" when there was none.
    public let help: String
    /// The unit (OpenMetrics' `# UNIT`), "" when there was none.
    public let unit: String

    /// The metadata of family `name`.
    public init(name: String, type: String, help: String = "", unit: String = "") {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
    }
}

/// Where `/api/v1/metadata` gets its answer: the families the caller's scrapes or
/// registries know of, asked afresh at each request.
public protocol MetadataProvider: Sendable {
    /// The metadata of every family known now, in any order; duplicates are dropped.
    func metricMetadata() -> [MetricMetadata]
}
