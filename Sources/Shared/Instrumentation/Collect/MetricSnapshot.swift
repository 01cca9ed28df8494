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
    /// Where the label pairs start in each series' `identity`, when the family kept
    /// identities made from these label names; only a family's own `collect()` vouches for
    /// that, so the encoders ignore the identities when this is nil.
    let labelPairsStart: Int?

    public init(name: String, type: MetricType, help: String, unit: String?, labelNames: [String], series: [SeriesSnapshot]) {
        self.init(name: name, type: type, help: help, unit: unit, labelNames: labelNames, series: series, labelPairsStart: nil)
    }

    init(name: String, type: MetricType, help: String, unit: String?, labelNames: [String], series: [SeriesSnapshot], labelPairsStart: Int?) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
        self.labelNames = labelNames
        self.series = series
        self.labelPairsStart = labelPairsStart
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
    /// The latest exemplars: a counter's one, or a histogram's one per bucket (the `+Inf`
    /// bucket last), nil where none was recorded; empty when the series recorded none.
    public let exemplars: [Exemplar?]
    /// The series' identity, `name{label="value",…}` with the values escaped as both text
    /// formats escape them, when its family keeps identities (a registry's counter and
    /// gauge families do). The encoders copy the label pairs between its braces instead of
    /// escaping every value on every scrape; a counter keeps this string anyway, for its
    /// error message. Derived from the family's label names and `labelValues`, so it takes
    /// no part in equality.
    let identity: String?

    public init(labelValues: [String], value: SeriesValue, created: Double, exemplars: [Exemplar?] = []) {
        self.init(labelValues: labelValues, value: value, created: created, exemplars: exemplars, identity: nil)
    }

    init(labelValues: [String], value: SeriesValue, created: Double, exemplars: [Exemplar?], identity: String?) {
        self.labelValues = labelValues
        self.value = value
        self.created = created
        self.exemplars = exemplars
        self.identity = identity
    }

    public static func == (left: SeriesSnapshot, right: SeriesSnapshot) -> Bool {
        left.labelValues == right.labelValues && left.value == right.value && left.created == right.created
            && left.exemplars == right.exemplars
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
