import Instrumentation

/// One label: a name and its value.
public struct Label: Hashable, Sendable, Comparable {
    public let name: String
    public let value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public static func < (lhs: Label, rhs: Label) -> Bool {
        (lhs.name, lhs.value) < (rhs.name, rhs.value)
    }
}

/// The identity of a time series: every label, the metric name included as `__name__`.
///
/// Labels are kept sorted by name, so two sets with the same labels are equal and hash
/// alike whatever order they were written in: that is what makes them one series.
public struct LabelSet: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The labels, sorted by name; names are unique and no value is empty.
    public private(set) var labels: [Label]

    /// The reserved label that holds the metric name.
    public static let metricNameLabel = "__name__"

    /// Whether `name` is a label name in the classic form: an ASCII letter or underscore, then
    /// ASCII letters, digits and underscores.
    public static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || (first | 0x20 >= UInt8(ascii: "a") && first | 0x20 <= UInt8(ascii: "z")) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
        }
    }

    /// A set from name-value pairs; empty values are dropped, since in Prometheus an empty label is no label.
    public init(_ pairs: [String: String]) {
        labels = pairs.filter { !$0.value.isEmpty }.map { Label($0.key, $0.value) }.sorted()
    }

    /// A set with the metric name and these other labels.
    public init(name: String, _ pairs: [String: String] = [:]) {
        var all = pairs
        all[Self.metricNameLabel] = name
        self.init(all)
    }

    private init(sorted labels: [Label]) {
        self.labels = labels
    }

    /// The value of label `name`, or "" when it is absent (as PromQL sees it).
    public subscript(name: String) -> String {
        labels.first { $0.name == name }?.value ?? ""
    }

    /// The metric name, or "" when the set has none.
    public var metricName: String { self[Self.metricNameLabel] }

    /// The same set without the metric name.
    public var droppingMetricName: LabelSet {
        removing([Self.metricNameLabel])
    }

    /// The same set without the labels named.
    public func removing(_ names: some Sequence<String>) -> LabelSet {
        let names = Set(names)
        return LabelSet(sorted: labels.filter { !names.contains($0.name) })
    }

    /// Only the labels named.
    public func keeping(_ names: some Sequence<String>) -> LabelSet {
        let names = Set(names)
        return LabelSet(sorted: labels.filter { names.contains($0.name) })
    }

    /// The same set with label `name` set to `value` (removed when `value` is empty).
    public func setting(_ name: String, to value: String) -> LabelSet {
        var pairs = Dictionary(uniqueKeysWithValues: labels.map { ($0.name, $0.value) })
        pairs[name] = value
        return LabelSet(pairs)
    }

    public static func < (lhs: LabelSet, rhs: LabelSet) -> Bool {
        lhs.labels.lexicographicallyPrecedes(rhs.labels)
    }

    /// `name{a="1",b="2"}`, as Prometheus prints a series.
    public var description: String {
        let others = labels.filter { $0.name != Self.metricNameLabel }
            .map { "\($0.name)=\"\(LabelEscaping.escaped($0.value))\"" }
        return metricName + "{" + others.joined(separator: ", ") + "}"
    }
}
