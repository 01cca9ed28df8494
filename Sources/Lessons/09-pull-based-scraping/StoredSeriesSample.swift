import Shared

/// One sample as the scraper stores it: the series (labels, name included), when, and the value.
struct StoredSeriesSample: Equatable, Sendable, CustomStringConvertible {
    let labels: LabelSet
    /// Milliseconds since the epoch.
    let timestamp: Int64
    let value: Double

    var description: String {
        "\(labels) \(formatSampleValue(value, for: .prometheus)) @\(timestamp)"
    }
}
