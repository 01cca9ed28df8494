import Instrumentation
import TimeSeries

/// One sample as the scraper stores it: the series (labels, name included), when, and the value.
public struct StoredSeriesSample: Equatable, Sendable, CustomStringConvertible {
    public let labels: LabelSet
    /// Milliseconds since the epoch.
    public let timestamp: Int64
    public let value: Double

    /// A sample of `labels`' series: `value` at `timestamp` milliseconds since the epoch.
    public init(labels: LabelSet, timestamp: Int64, value: Double) {
        self.labels = labels
        self.timestamp = timestamp
        self.value = value
    }

    public var description: String {
        "\(labels) \(formatSampleValue(value, for: .prometheus)) @\(timestamp)"
    }
}
