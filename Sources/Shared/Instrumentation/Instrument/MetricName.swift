/// The naming rules of the Prometheus data model.
///
/// See https://prometheus.io/docs/concepts/data_model/#metric-names-and-labels
enum MetricName {
    /// Whether `name` matches `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func isValidMetricName(_ name: String) -> Bool {
        isValid(name, allowColon: true)
    }

    /// Whether `name` matches `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isValidLabelName(_ name: String) -> Bool {
        isValid(name, allowColon: false)
    }

    private static func isValid(_ name: String, allowColon: Bool) -> Bool {
        var first = true
        for byte in name.utf8 {
            let letter = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte == UInt8(ascii: "_")
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            let colon = allowColon && byte == UInt8(ascii: ":")
            if !(letter || colon || (digit && !first)) { return false }
            first = false
        }
        return !first
    }

    /// Checks a family's label names: valid, not `__`-prefixed, not reserved by its type, not repeated.
    static func validateLabelNames(_ labelNames: [String], metric: String, reserved: String?) throws {
        var seen = Set<String>()
        for label in labelNames {
            guard isValidLabelName(label) else { throw MetricsError.invalidLabelName(label, metric: metric) }
            if label.hasPrefix("__") || label == reserved {
                throw MetricsError.reservedLabelName(label, metric: metric)
            }
            guard seen.insert(label).inserted else { throw MetricsError.duplicateLabelName(label, metric: metric) }
        }
    }
}
