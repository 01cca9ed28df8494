/// One example of what a sample counted: labels that point elsewhere (usually a trace id),
/// the value observed and, optionally, when.
///
/// A histogram says that 40 requests took between 0.3 and 0.6 seconds; an exemplar on that
/// bucket names one of them, so a dashboard can jump from the slow bucket to the trace of a
/// slow request. OpenMetrics writes it after the sample, on a counter's `_total` line or a
/// histogram's `_bucket` line:
///
///     http_request_duration_seconds_bucket{le="0.6"} 40.0 # {trace_id="4bf92f35…"} 0.42 1700000000.123
///
/// The 0.0.4 text format has no place for one. The labels' names and values together may
/// hold at most `maximumLabelLength` code points, as the specification requires; names follow
/// the label-name rules. A counter or histogram keeps only its latest exemplar per series
/// (per bucket for a histogram).
/// See https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md#exemplars
public struct Exemplar: Sendable, Equatable {
    /// The labels, such as `["trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"]`; written sorted by name.
    public let labels: [String: String]
    /// The value the exemplar stands for: the observation, or the counter's increment.
    public let value: Double
    /// When it was recorded, in seconds since the epoch, or nil (a scraper then uses the scrape time).
    public let timestamp: Double?

    /// The most code points the label names and values of one exemplar may hold together.
    public static let maximumLabelLength = 128

    /// An exemplar, checked: label names valid and not reserved, at most `maximumLabelLength`
    /// code points of names and values, a finite timestamp.
    public init(labels: [String: String], value: Double, timestamp: Double? = nil) throws {
        try Self.check(labels: labels, timestamp: timestamp)
        self.init(checkedLabels: labels, value: value, timestamp: timestamp)
    }

    /// An exemplar whose parts were checked already (by the exposition parser).
    package init(checkedLabels labels: [String: String], value: Double, timestamp: Double?) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    /// The combined length of the label names and values, in code points (not bytes:
    /// `é` counts 1), which the specification limits.
    public static func labelLength(_ labels: [String: String]) -> Int {
        labels.reduce(0) { $0 + $1.key.unicodeScalars.count + $1.value.unicodeScalars.count }
    }

    /// Whether two exemplars are the same; a NaN value equals a NaN value.
    public static func == (left: Exemplar, right: Exemplar) -> Bool {
        let sameValue = left.value == right.value || (left.value.isNaN && right.value.isNaN)
        return sameValue && left.timestamp == right.timestamp && left.labels == right.labels
    }

    private static func check(labels: [String: String], timestamp: Double?) throws {
        let shown = "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(LabelEscaping.escaped($0.value))\"" }
            .joined(separator: ",") + "}"
        for name in labels.keys.sorted() {
            guard MetricName.isValidLabelName(name) else {
                throw MetricsError.invalidExemplar(shown, reason: "invalid label name \"\(name)\": use letters, digits and '_', not starting with a digit")
            }
            guard !name.hasPrefix("__") else {
                throw MetricsError.invalidExemplar(shown, reason: "label name \"\(name)\" starts with \"__\", which is reserved")
            }
        }
        let length = labelLength(labels)
        guard length <= maximumLabelLength else {
            throw MetricsError.invalidExemplar(
                shown, reason: "its label names and values are \(length) code points long; at most \(maximumLabelLength) are allowed")
        }
        if let timestamp, !timestamp.isFinite {
            throw MetricsError.invalidExemplar(shown, reason: "the timestamp \(timestamp) is not a finite number of seconds")
        }
    }
}
