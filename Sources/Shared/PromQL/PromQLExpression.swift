import TimeSeries

/// A parsed PromQL expression: the subset of the language this workbook evaluates.
///
/// Selectors, ranges and `offset`; the functions in `PromQLFunction`; `sum`, `avg`, `min`,
/// `max` and `count` with `by` or `without`; `+ - * /` and the comparisons, between
/// scalars and vectors, with one-to-one matching through `on` or `ignoring`; and the set
/// operators `and`, `or` and `unless` between vectors.
public indirect enum PromQLExpression: Sendable {
    case number(Double)
    /// `name{matchers} offset d`: the newest sample of each series within the lookback.
    case vectorSelector(Selector)
    /// `name{matchers}[range] offset d`: every sample of each series within the range.
    case matrixSelector(Selector, rangeMilliseconds: Int64)
    case call(PromQLFunction, [PromQLExpression])
    case aggregation(Aggregation, PromQLExpression, Grouping?)
    case binary(BinaryOperator, PromQLExpression, PromQLExpression, VectorMatching?, returnBool: Bool)
    case negation(PromQLExpression)

    /// The series a selector picks, and how far back it looks.
    public struct Selector: Sendable {
        public let matchers: [LabelMatcher]
        public let offsetMilliseconds: Int64
    }

    /// `by (labels)` keeps only those labels; `without (labels)` drops them and the metric name.
    public struct Grouping: Sendable {
        public let without: Bool
        public let labels: [String]
    }

    /// `on (labels)` matches series on those labels only; `ignoring (labels)` on all others.
    public struct VectorMatching: Sendable {
        public let on: Bool
        public let labels: [String]
    }

    /// The aggregation operators of the subset.
    public enum Aggregation: String, Sendable, CaseIterable {
        case sum, avg, min, max, count
    }

    /// The binary operators of the subset, with their precedence (higher binds tighter).
    public enum BinaryOperator: String, Sendable, CaseIterable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"
        case equal = "==", notEqual = "!=", greater = ">", less = "<", greaterOrEqual = ">=", lessOrEqual = "<="
        case and, or, unless

        var precedence: Int {
            switch self {
            case .multiply, .divide: 5
            case .add, .subtract: 4
            case .and, .unless: 2
            case .or: 1
            default: 3
            }
        }

        /// Comparisons filter (or, with `bool`, answer 0 or 1); the others compute.
        public var isComparison: Bool { precedence == 3 }

        /// `and`, `or` and `unless` pick series by their labels; values pass through unchanged.
        public var isSetOperator: Bool { precedence <= 2 }
    }
}

/// The functions of the subset.
public enum PromQLFunction: String, Sendable, CaseIterable {
    case rate, increase, irate, delta
    case avgOverTime = "avg_over_time", maxOverTime = "max_over_time", minOverTime = "min_over_time"
    case sumOverTime = "sum_over_time", countOverTime = "count_over_time"
    case histogramQuantile = "histogram_quantile"
    case abs, time, vector, scalar

    /// What the arguments must be.
    enum Argument { case scalar, instantVector, rangeVector }

    var arguments: [Argument] {
        switch self {
        case .rate, .increase, .irate, .delta, .avgOverTime, .maxOverTime, .minOverTime, .sumOverTime, .countOverTime:
            [.rangeVector]
        case .histogramQuantile: [.scalar, .instantVector]
        case .abs, .scalar: [.instantVector]
        case .vector: [.scalar]
        case .time: []
        }
    }
}
