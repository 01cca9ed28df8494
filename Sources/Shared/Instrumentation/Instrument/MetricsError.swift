/// A mistake in how a metric is defined or addressed, caught when it is made.
///
/// Every case carries the offending name so the message can say what to change.
/// Programming errors on the recording path (a negative counter increment) are not
/// thrown: they stop the program with a precondition message instead, because a
/// recording call has no sensible way to recover.
public enum MetricsError: Error, Equatable, CustomStringConvertible {
    case invalidMetricName(String)
    case invalidLabelName(String, metric: String)
    case reservedLabelName(String, metric: String)
    case duplicateLabelName(String, metric: String)
    case wrongLabelValueCount(metric: String, expected: [String], got: Int)
    case invalidBuckets(metric: String, reason: String)
    case invalidBucketLayout(String)
    case invalidObjective(metric: String, reason: String)
    case invalidWindow(metric: String, reason: String)
    case invalidUnit(metric: String, unit: String)
    case conflictingRegistration(metric: String, reason: String)
    /// An exemplar that OpenMetrics could not carry: the labels as written, and why.
    case invalidExemplar(String, reason: String)

    public var description: String {
        switch self {
        case .invalidMetricName(let name):
            return "invalid metric name \(quoted(name)): use letters, digits, '_' and ':', not starting with a digit ([a-zA-Z_:][a-zA-Z0-9_:]*)"
        case .invalidLabelName(let label, let metric):
            return "metric \(metric): invalid label name \(quoted(label)): use letters, digits and '_', not starting with a digit ([a-zA-Z_][a-zA-Z0-9_]*)"
        case .reservedLabelName(let label, let metric):
            if label.hasPrefix("__") {
                return "metric \(metric): label name \(quoted(label)) is reserved: names starting with '__' belong to Prometheus; pick another name"
            }
            return "metric \(metric): label name \(quoted(label)) is reserved for this metric type (le on histograms, quantile on summaries); pick another name"
        case .duplicateLabelName(let label, let metric):
            return "metric \(metric): label name \(quoted(label)) is listed twice; each label name may appear once"
        case .wrongLabelValueCount(let metric, let expected, let got):
            let names = expected.isEmpty ? "no labels" : expected.count == 1 ? "1 label (\(expected[0]))" : "\(expected.count) labels (\(expected.joined(separator: ", ")))"
            return "metric \(metric) has \(names) but was given \(got) label value\(got == 1 ? "" : "s"); pass one value per label name, in the order the labels were declared"
        case .invalidBuckets(let metric, let reason):
            return "histogram \(metric): invalid buckets: \(reason)"
        case .invalidBucketLayout(let reason):
            return "invalid bucket layout: \(reason)"
        case .invalidObjective(let metric, let reason):
            return "summary \(metric): invalid objective: \(reason)"
        case .invalidWindow(let metric, let reason):
            return "summary \(metric): invalid window: \(reason)"
        case .invalidUnit(let metric, let unit):
            return "metric \(metric): unit \(quoted(unit)) must be the suffix of the metric name (name it \(metric)_\(unit)), and contain only [a-zA-Z0-9_]"
        case .conflictingRegistration(let metric, let reason):
            return "metric \(metric) is already registered \(reason); reuse the existing definition or choose another name"
        case .invalidExemplar(let labels, let reason):
            return "exemplar \(labels): \(reason)"
        }
    }
}

private func quoted(_ text: String) -> String {
    "\"" + text.unicodeScalars.map { $0.escaped(asASCII: false) }.joined() + "\""
}
