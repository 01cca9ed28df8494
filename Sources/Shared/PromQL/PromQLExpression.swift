import TimeSeries

/// A parsed PromQL expression.
///
/// The whole float language: literals, selectors with `offset` and `@`, range selectors,
/// subqueries, function calls, aggregations with their parameters and grouping, unary
/// minus, and the binary operators with `bool` and vector matching (`on`, `ignoring`,
/// `group_left`, `group_right`).
public indirect enum PromQLExpression: Sendable {
    case number(Double)
    case string(String)
    /// `name{matchers} offset d @ t`: each series' newest sample within the lookback.
    case vectorSelector(Selector)
    /// `name{matchers}[range] offset d @ t`: each series' samples within the range.
    case matrixSelector(Selector, rangeMilliseconds: Int64)
    /// `expr[range:step] offset d @ t`: the expression evaluated at each step within the range.
    case subquery(PromQLExpression, Subquery)
    case call(PromQLFunction, [PromQLExpression])
    case aggregation(Aggregation)
    case binary(Binary)
    case negation(PromQLExpression)
    case parentheses(PromQLExpression)

    /// The series a selector picks, and where in time it looks.
    public struct Selector: Sendable {
        public var matchers: [LabelMatcher]
        public var offsetMilliseconds: Int64 = 0
        public var at: Anchor?
        /// An offset that names `step()` or `range()`, worked out when the query runs
        /// (`offsetMilliseconds` is 0 until then).
        public var offsetExpression: PromQLDuration?
        /// A range selector's range that names `step()` or `range()`, worked out when the query
        /// runs (the range in milliseconds is 0 until then).
        public var rangeExpression: PromQLDuration?
    }

    /// `[range:step]` with its own `offset` and `@`.
    public struct Subquery: Sendable {
        public var rangeMilliseconds: Int64
        /// Nil: the default evaluation interval.
        public var stepMilliseconds: Int64?
        public var offsetMilliseconds: Int64 = 0
        public var at: Anchor?
        /// The range, step and offset when they name `step()` or `range()`, worked out when the
        /// query runs (the millisecond fields hold 0, nil and 0 until then).
        public var rangeExpression: PromQLDuration?
        public var stepExpression: PromQLDuration?
        public var offsetExpression: PromQLDuration?
    }

    /// What `@` pins an evaluation to.
    public enum Anchor: Sendable, Equatable {
        /// A Unix time in milliseconds.
        case time(Int64)
        /// The start of the query's range (the evaluation time of an instant query).
        case start
        /// The end of the query's range.
        case end
    }

    /// An aggregation: the operator, its parameter (`topk`'s k, `quantile`'s φ, `count_values`'
    /// label), the operand, and its grouping.
    public struct Aggregation: Sendable {
        public let operation: AggregationOperator
        public let parameter: PromQLExpression?
        public let operand: PromQLExpression
        public let grouping: Grouping?
    }

    /// `by (labels)` keeps only those labels; `without (labels)` drops them and the metric name.
    public struct Grouping: Sendable {
        public let without: Bool
        public let labels: [String]
    }

    /// A binary operation, with its modifiers.
    public struct Binary: Sendable {
        public let operation: BinaryOperator
        public let left: PromQLExpression
        public let right: PromQLExpression
        public let matching: VectorMatching?
        /// `bool`: a comparison answers 0 or 1 instead of filtering.
        public let returnBool: Bool
    }

    /// How two instant vectors' elements are paired.
    public struct VectorMatching: Sendable {
        public enum Cardinality: Sendable { case oneToOne, manyToOne, oneToMany, manyToMany }
        public var cardinality: Cardinality
        /// `on (labels)` (true) or `ignoring (labels)` (false).
        public var on: Bool
        public var labels: [String]
        /// The labels `group_left (…)` or `group_right (…)` copy from the "one" side.
        public var include: [String]
    }

    /// The aggregation operators.
    public enum AggregationOperator: String, Sendable, CaseIterable {
        case sum, avg, min, max, count, group, stddev, stdvar, topk, bottomk, quantile
        case countValues = "count_values"

        /// What the parameter before the operand must be, if there is one.
        var parameter: PromQLType? {
            switch self {
            case .topk, .bottomk, .quantile: .scalar
            case .countValues: .string
            default: nil
            }
        }
    }

    /// The binary operators, with their precedence (higher binds tighter).
    public enum BinaryOperator: String, Sendable, CaseIterable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", power = "^", atan2
        case equal = "==", notEqual = "!=", greater = ">", less = "<", greaterOrEqual = ">=", lessOrEqual = "<="
        case and, or, unless

        var precedence: Int {
            switch self {
            case .power: 6
            case .multiply, .divide, .modulo, .atan2: 5
            case .add, .subtract: 4
            case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: 3
            case .and, .unless: 2
            case .or: 1
            }
        }

        /// `^` groups to the right: `2 ^ 3 ^ 2` is `2 ^ 9`.
        var isRightAssociative: Bool { self == .power }

        /// Comparisons filter (or, with `bool`, answer 0 or 1); the others compute.
        public var isComparison: Bool { precedence == 3 }

        /// `and`, `or` and `unless` pick series by their labels; values pass through unchanged.
        public var isSetOperator: Bool { precedence <= 2 }

        /// Arithmetic drops the metric name from its result: the value is no longer that metric.
        /// `atan2` does too in Prometheus 3; Prometheus 2 kept it (its own tests pin
        /// `trigy atan2 trigx` as `trigy{}` at 2.42, and 3.14's as `{}`).
        func dropsMetricName(_ semantics: PromQLSemantics) -> Bool {
            precedence >= 4 && (self != .atan2 || semantics == .prometheus3)
        }
    }
}

/// The types of PromQL values, as the parser checks them.
public enum PromQLType: String, Sendable {
    case scalar
    case instantVector = "instant vector"
    case rangeVector = "range vector"
    case string
}
