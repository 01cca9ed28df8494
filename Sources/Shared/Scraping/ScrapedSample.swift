import Instrumentation

/// One sample read from an exposition: a metric name, its labels, a value and, when the
/// line carried one, a timestamp.
///
/// This is the line `http_requests_total{method="GET",code="200"} 1027 1700000000123` as
/// data. Each distinct name-and-labels pair is a time series; a scraper that reads many
/// expositions appends each sample to its series, stamped with the scrape time unless the
/// line carried its own.
public struct ScrapedSample: Sendable, Equatable, CustomStringConvertible {
    /// The sample name as written, suffix included (`http_requests_total`, `latency_seconds_bucket`).
    public let name: String
    /// The labels, unescaped; histogram `le` and summary `quantile` labels included, as written
    /// (`"0.5"`, `"+Inf"`). Label order carries no meaning in Prometheus, hence a dictionary.
    public let labels: [String: String]
    /// The value. `+Inf`, `-Inf` and `NaN` are legal sample values and arrive as such.
    public let value: Double
    /// When the sample was taken, in seconds since the Unix epoch, or nil when the line had no
    /// timestamp (the usual case: the scraper then uses the scrape time).
    ///
    /// OpenMetrics writes seconds, possibly fractional; the 0.0.4 text format writes integer
    /// milliseconds, which the parser divides by 1000.
    public let timestamp: Double?
    /// The exemplar the line carried after ` # ` (OpenMetrics only, on a counter's `_total`
    /// or a histogram's `_bucket`), or nil.
    public let exemplar: Exemplar?

    /// A sample with these parts.
    public init(name: String, labels: [String: String] = [:], value: Double, timestamp: Double? = nil, exemplar: Exemplar? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
        self.exemplar = exemplar
    }

    /// Whether two samples are the same: same name, labels, timestamp and exemplar, and the
    /// same value, where NaN equals NaN.
    ///
    /// A NaN sample value is data (a summary quantile with no observations), so two samples
    /// that both say NaN say the same thing, unlike the IEEE comparison `Double.nan == .nan`.
    public static func == (lhs: ScrapedSample, rhs: ScrapedSample) -> Bool {
        let sameValue = lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN)
        return sameValue && lhs.name == rhs.name && lhs.timestamp == rhs.timestamp && lhs.labels == rhs.labels
            && lhs.exemplar == rhs.exemplar
    }

    /// The sample as a line of text, labels sorted by name: `name{a="1",b="2"} 3 @1700000000.5`,
    /// then its exemplar if it has one: ` # {trace_id="abc"} 0.5 @1700000000.25`.
    public var description: String {
        var text = name
        if !labels.isEmpty {
            let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(LabelEscaping.escaped($0.value))\"" }
            text += "{" + pairs.joined(separator: ",") + "}"
        }
        text += " " + formatSampleValue(value, for: .prometheus)
        if let timestamp { text += " @\(timestamp)" }
        if let exemplar {
            let pairs = exemplar.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(LabelEscaping.escaped($0.value))\"" }
            text += " # {" + pairs.joined(separator: ",") + "} " + formatSampleValue(exemplar.value, for: .prometheus)
            if let timestamp = exemplar.timestamp { text += " @\(timestamp)" }
        }
        return text
    }
}
