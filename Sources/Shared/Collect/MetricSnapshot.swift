/// The four metric types of the Prometheus data model.
public enum MetricType: String, Sendable, Equatable {
    case counter, gauge, histogram, summary
}

/// One family as it stood when the registry was collected: definition and every series.
///
/// Immutable and independent of the live metrics, so encoders and charts can read it
/// while recording goes on.
public struct MetricFamilySnapshot: Sendable, Equatable {
    /// The family name. For a counter it has no `_total`; the encoders add it where the format wants it.
    public let name: String
    public let type: MetricType
    public let help: String
    /// The unit, a suffix of `name` (OpenMetrics `# UNIT`), or nil.
    public let unit: String?
    public let labelNames: [String]
    /// One entry per label set, sorted by label values.
    public let series: [SeriesSnapshot]
    /// Whether the series' `writtenLabels` were made for these label names, which only a
    /// family's own `collect()` vouches for; the encoders ignore them otherwise.
    let labelsWritten: Bool

    public init(name: String, type: MetricType, help: String, unit: String?, labelNames: [String], series: [SeriesSnapshot]) {
        self.init(name: name, type: type, help: help, unit: unit, labelNames: labelNames, series: series, labelsWritten: false)
    }

    init(name: String, type: MetricType, help: String, unit: String?, labelNames: [String], series: [SeriesSnapshot], labelsWritten: Bool) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
        self.labelNames = labelNames
        self.series = series
        self.labelsWritten = labelsWritten
    }

    public static func == (left: MetricFamilySnapshot, right: MetricFamilySnapshot) -> Bool {
        left.name == right.name && left.type == right.type && left.help == right.help && left.unit == right.unit
            && left.labelNames == right.labelNames && left.series == right.series
    }
}

/// One series of a family: its label values (in the order of the family's label names) and its value.
public struct SeriesSnapshot: Sendable, Equatable {
    public let labelValues: [String]
    public let value: SeriesValue
    /// When the series was created, in seconds since the epoch (OpenMetrics `_created`).
    public let created: Double
    /// The series' label pairs already written out, when its family keeps them (a
    /// registry's counter and gauge families do); the encoders copy them instead of
    /// escaping every value on every scrape. Derived from the family's label names and `labelValues`, so it
    /// takes no part in equality.
    let writtenLabels: WrittenLabels?

    public init(labelValues: [String], value: SeriesValue, created: Double) {
        self.init(labelValues: labelValues, value: value, created: created, writtenLabels: nil)
    }

    init(labelValues: [String], value: SeriesValue, created: Double, writtenLabels: WrittenLabels?) {
        self.labelValues = labelValues
        self.value = value
        self.created = created
        self.writtenLabels = writtenLabels
    }

    public static func == (left: SeriesSnapshot, right: SeriesSnapshot) -> Bool {
        left.labelValues == right.labelValues && left.value == right.value && left.created == right.created
    }
}

/// A series' label pairs as both text formats write them between the braces,
/// `name="value",…` with the values escaped.
///
/// They are the part between the braces of the series' identity, `name{name="value",…}`,
/// which a family builds once per child for its messages: a counter keeps that string
/// anyway, so for counters this costs no memory beyond a reference to it.
struct WrittenLabels: Sendable {
    /// `name{pairs}`; the pairs run from `start` to the closing brace.
    let identity: String
    let start: Int

    /// Calls `body` with the bytes of the pairs.
    @inline(__always)
    func withPairs<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        withUTF8(of: identity) { bytes in
            body(UnsafeBufferPointer(rebasing: bytes[start..<(bytes.count - 1)]))
        }
    }
}

/// The value of one series, by metric type.
public enum SeriesValue: Sendable, Equatable {
    case counter(Double)
    case gauge(Double)
    case histogram(HistogramSnapshot)
    case summary(SummarySnapshot)
}

/// A histogram's buckets, cumulative as exposed, with count and sum.
public struct HistogramSnapshot: Sendable, Equatable {
    /// The finite upper bounds; the `+Inf` bucket follows them.
    public let upperBounds: [Double]
    /// Observations at or below each bound, then the `+Inf` bucket (all observations):
    /// one more entry than `upperBounds`, never decreasing.
    public let cumulativeCounts: [UInt64]
    public let sum: Double

    /// The number of observations, which is the `+Inf` bucket.
    public var count: UInt64 { cumulativeCounts.last ?? 0 }

    public init(upperBounds: [Double], cumulativeCounts: [UInt64], sum: Double) {
        precondition(cumulativeCounts.count == upperBounds.count + 1, "a histogram snapshot has one count per bound plus +Inf")
        self.upperBounds = upperBounds
        self.cumulativeCounts = cumulativeCounts
        self.sum = sum
    }
}

/// A summary's count and sum, and its quantiles over the current window.
public struct SummarySnapshot: Sendable, Equatable {
    /// One entry per objective, in increasing quantile order; values are NaN while the window is empty.
    public let quantiles: [QuantileValue]
    public let sum: Double
    public let count: UInt64

    public init(quantiles: [QuantileValue], sum: Double, count: UInt64) {
        self.quantiles = quantiles
        self.sum = sum
        self.count = count
    }
}

/// A quantile (0.99) and the value estimated for it.
public struct QuantileValue: Sendable, Equatable {
    public let quantile: Double
    public let value: Double

    public init(quantile: Double, value: Double) {
        self.quantile = quantile
        self.value = value
    }
}
