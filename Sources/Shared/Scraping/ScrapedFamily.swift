import Instrumentation

/// One metric family read from an exposition: the metadata lines and the samples under them.
///
/// A family is what `# HELP`, `# TYPE` and `# UNIT` describe: a histogram family
/// `latency_seconds` owns the samples `latency_seconds_bucket`, `_sum` and `_count`. A sample
/// with no metadata before it forms a family of its own, of type `.unknown`. Families appear
/// in the order of the exposition, and a family with metadata but no samples (a labelled
/// metric with no children yet) is still a family.
public struct ScrapedFamily: Sendable, Equatable {
    /// The family name as the metadata lines write it. In the 0.0.4 format a counter's family
    /// is named with its `_total` (`# TYPE jobs_total counter`); in OpenMetrics without it
    /// (`# TYPE jobs counter`, samples `jobs_total`).
    public let name: String
    /// The type its `# TYPE` line declared, or `.unknown` when it had none.
    public let type: DeclaredType
    /// The `# HELP` text, unescaped, or nil when there was no `# HELP` line.
    public let help: String?
    /// The `# UNIT` (OpenMetrics only), or nil when there was no `# UNIT` line.
    public let unit: String?
    /// The family's samples, in exposition order.
    public let samples: [ScrapedSample]

    /// A family with these parts.
    public init(name: String, type: DeclaredType, help: String? = nil, unit: String? = nil, samples: [ScrapedSample]) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
        self.samples = samples
    }

    /// The metric types a `# TYPE` line can declare in either text format.
    ///
    /// The four Prometheus types, OpenMetrics' gauge histogram, state set and info, and
    /// `unknown`, which also stands for the 0.0.4 format's `untyped` and for a family
    /// with no `# TYPE` line: Prometheus treats all three alike.
    public enum DeclaredType: String, Sendable, Equatable, CaseIterable {
        case counter, gauge, histogram, summary
        /// A histogram of a value that can go down (OpenMetrics): `_bucket`, `_gcount`, `_gsum`.
        case gaugeHistogram = "gaugehistogram"
        /// A set of boolean states, one sample per state (OpenMetrics).
        case stateSet = "stateset"
        /// Constant information as labels, value 1, sample name ending in `_info` (OpenMetrics).
        case info
        /// No type given, `untyped` (0.0.4) or `unknown` (OpenMetrics).
        case unknown

        /// The engine's metric type, or nil for the types the engine does not record.
        public var metricType: MetricType? {
            switch self {
            case .counter: .counter
            case .gauge: .gauge
            case .histogram: .histogram
            case .summary: .summary
            case .gaugeHistogram, .stateSet, .info, .unknown: nil
            }
        }
    }
}
