import Foundation

/// A duration expression: arithmetic that yields a duration where a range, a subquery's range
/// or step, or an offset goes (Prometheus 3.14 and later, on by default, #19033).
///
/// `x[26m+4m]`, `x[2m*15]`, `x[5m:(1m+30s)]`, `x offset (1h/2)`, `x[step()]`,
/// `x[max_of(step(), 5s)]`. Numbers are seconds and durations are their seconds, combined with
/// `+ - * / % ^` (the usual precedence, `^` grouping to the right) and unary minus; `step()` and
/// `range()` are the query's step and end − start (both 0 in an instant query); `min_of` and
/// `max_of` pick the smaller or larger of two. A range or step must come out positive; an
/// offset may be negative. Prometheus 2 has none of this.
/// See https://prometheus.io/docs/prometheus/latest/querying/basics/#duration-expressions
public indirect enum PromQLDuration: Sendable {
    /// A number, or a duration literal, in seconds.
    case seconds(Double)
    /// `step()`: a range query's step.
    case step
    /// `range()`: a range query's end time less its start time.
    case range
    case minOf(PromQLDuration, PromQLDuration)
    case maxOf(PromQLDuration, PromQLDuration)
    case negation(PromQLDuration)
    /// One of `+ - * / % ^`.
    case binary(PromQLExpression.BinaryOperator, PromQLDuration, PromQLDuration)

    /// Whether the value depends on the query (`step()` or `range()` appear), so that it is only
    /// known when the query runs; any other duration expression is worked out while parsing.
    var dependsOnQuery: Bool {
        switch self {
        case .seconds: false
        case .step, .range: true
        case .negation(let inner): inner.dependsOnQuery
        case .minOf(let a, let b), .maxOf(let a, let b), .binary(_, let a, let b): a.dependsOnQuery || b.dependsOnQuery
        }
    }

    /// The value in seconds, for a query with this step and range (in seconds).
    func seconds(step: Double, range: Double) throws -> Double {
        switch self {
        case .seconds(let value): return value
        case .step: return step
        case .range: return range
        case .negation(let inner): return -(try inner.seconds(step: step, range: range))
        case .minOf(let a, let b): return PromQLMath.min(try a.seconds(step: step, range: range), try b.seconds(step: step, range: range))
        case .maxOf(let a, let b): return PromQLMath.max(try a.seconds(step: step, range: range), try b.seconds(step: step, range: range))
        case .binary(let operation, let a, let b):
            let left = try a.seconds(step: step, range: range), right = try b.seconds(step: step, range: range)
            switch operation {
            case .add: return left + right
            case .subtract: return left - right
            case .multiply: return left * right
            case .divide:
                guard right != 0 else { throw PromQLError(message: "division by zero") }
                return left / right
            case .modulo:
                guard right != 0 else { throw PromQLError(message: "modulo by zero") }
                return left.truncatingRemainder(dividingBy: right)
            case .power: return Foundation.pow(left, right)
            default: throw PromQLError(message: "\(operation.rawValue) is not a duration operator")
            }
        }
    }

    /// The value in milliseconds, for a query with this step and range (in milliseconds).
    ///
    /// Fails when the value is NaN or infinite, beyond 10000y, or (unless `mayBeNegative`, as for
    /// an offset) not greater than 0. Fractions of a millisecond are cut off, as Prometheus does.
    func milliseconds(stepMilliseconds: Int64, rangeMilliseconds: Int64, mayBeNegative: Bool) throws -> Int64 {
        let value = try seconds(step: Double(stepMilliseconds) / 1000, range: Double(rangeMilliseconds) / 1000)
        guard value.isFinite else { throw PromQLError(message: "duration is NaN or infinite") }
        guard mayBeNegative || value > 0 else {
            let hint = dependsOnQuery ? " (step() and range() are 0s in an instant query)" : ""
            throw PromQLError(message: "duration must be greater than 0, but this one is \(String(format: "%g", value))s\(hint)")
        }
        let milliseconds = (value * 1000).rounded(.towardZero)
        guard Swift.abs(milliseconds) <= Double(PromQLLexer.longestDurationMilliseconds) else {
            throw PromQLError(message: "duration is out of range: at most 10000y")
        }
        return Int64(milliseconds)
    }
}
