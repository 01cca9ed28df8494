/// The two text formats a `/metrics` endpoint can answer in.
///
/// Both carry the same snapshots; a scraper says which it prefers in its `Accept` header.
/// See https://prometheus.io/docs/instrumenting/exposition_formats/ and the OpenMetrics
/// specification, https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md
public enum ExpositionFormat: String, Sendable, CaseIterable {
    /// Prometheus text format 0.0.4, the format every Prometheus understands.
    case prometheus
    /// OpenMetrics 1.0.0: `_total` only on counter samples, `# UNIT`, `_created`, `# EOF`.
    case openmetrics

    /// The `Content-Type` a server sends with this format.
    public var contentType: String {
        switch self {
        case .prometheus: "text/plain; version=0.0.4; charset=utf-8"
        case .openmetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// The exposition of `families` in this format, as UTF-8 bytes.
    public func encode(_ families: [MetricFamilySnapshot]) -> [UInt8] {
        switch self {
        case .prometheus: PrometheusTextEncoder().encode(families)
        case .openmetrics: OpenMetricsEncoder().encode(families)
        }
    }

    /// The exposition of `families` in this format, as text.
    public func render(_ families: [MetricFamilySnapshot]) -> String {
        String(decoding: encode(families), as: UTF8.self)
    }
}
