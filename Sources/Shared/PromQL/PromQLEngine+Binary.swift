import Foundation
import TimeSeries

/// Binary operators: arithmetic, comparisons and set operators, with vector matching.
extension Evaluation {
    func binary(_ binary: PromQLExpression.Binary, at time: Int64) throws -> EvaluatedValue {
        let left = try evaluate(binary.left, at: time)
        let right = try evaluate(binary.right, at: time)
        let operation = binary.operation
        switch (left, right) {
        case (.scalar(let a), .scalar(let b)):
            let (value, keep) = Self.apply(operation, a, b)
            return .scalar(operation.isComparison ? (keep ? 1 : 0) : value)
        case (.vector(let samples), .scalar(let b)):
            return .vector(try vectorScalar(operation, samples, b, scalarOnLeft: false, returnBool: binary.returnBool))
        case (.scalar(let a), .vector(let samples)):
            return .vector(try vectorScalar(operation, samples, a, scalarOnLeft: true, returnBool: binary.returnBool))
        case (.vector(let l), .vector(let r)):
            let matching = binary.matching ?? .init(cardinality: operation.isSetOperator ? .manyToMany : .oneToOne, on: false, labels: [], include: [])
            switch operation {
            case .and: return .vector(setAnd(l, r, matching))
            case .or: return .vector(setOr(l, r, matching))
            case .unless: return .vector(setUnless(l, r, matching))
            default: return .vector(try vectorVector(operation, l, r, matching, returnBool: binary.returnBool))
            }
        default:
            throw PromQLError(message: "binary expression must contain only scalar and instant vector types")
        }
    }

    /// The operation on two numbers: its value, and for a comparison whether it holds (the value is then the left side).
    static func apply(_ operation: PromQLExpression.BinaryOperator, _ a: Double, _ b: Double) -> (Double, Bool) {
        switch operation {
        case .add: (a + b, true)
        case .subtract: (a - b, true)
        case .multiply: (a * b, true)
        case .divide: (a / b, true)
        case .modulo: (PromQLMath.modulo(a, b), true)
        case .power: (pow(a, b), true)
        case .atan2: (Foundation.atan2(a, b), true)
        case .equal: (a, a == b)
        case .notEqual: (a, a != b)
        case .greater: (a, a > b)
        case .less: (a, a < b)
        case .greaterOrEqual: (a, a >= b)
        case .lessOrEqual: (a, a <= b)
        case .and, .or, .unless: (a, true)
        }
    }

    func vectorScalar(
        _ operation: PromQLExpression.BinaryOperator, _ samples: [EvaluatedSample], _ scalar: Double,
        scalarOnLeft: Bool, returnBool: Bool
    ) throws -> [EvaluatedSample] {
        var result: [EvaluatedSample] = []
        for sample in samples {
            let (a, b) = scalarOnLeft ? (scalar, sample.value) : (sample.value, scalar)
            var (value, keep) = Self.apply(operation, a, b)
            // A comparison keeps the vector's value, whichever side it is on.
            if operation.isComparison, scalarOnLeft { value = b }
            if returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            guard keep else { continue }
            var labels = sample.labels
            if operation.dropsMetricName(engine.semantics) || returnBool { labels = labels.droppingMetricName }
            result.append(EvaluatedSample(labels: labels, value: value, timestamp: sample.timestamp))
        }
        return operation.dropsMetricName(engine.semantics) || returnBool ? try unique(result) : result
    }

    /// The labels two series are matched on.
    func signature(_ labels: LabelSet, _ matching: PromQLExpression.VectorMatching) -> LabelSet {
        matching.on ? labels.keeping(matching.labels) : labels.removing(matching.labels + [LabelSet.metricNameLabel])
    }

    func vectorVector(
        _ operation: PromQLExpression.BinaryOperator, _ left: [EvaluatedSample], _ right: [EvaluatedSample],
        _ matching: PromQLExpression.VectorMatching, returnBool: Bool
    ) throws -> [EvaluatedSample] {
        // One-to-many is many-to-one with the sides swapped.
        let swapped = matching.cardinality == .oneToMany
        let (many, one) = swapped ? (right, left) : (left, right)
        var oneSide: [LabelSet: EvaluatedSample] = [:]
        for sample in one {
            let key = signature(sample.labels, matching)
            if let duplicate = oneSide[key] {
                throw PromQLError(message: "found duplicate series for the match group \(key) on the \(swapped ? "left" : "right") hand-side of the operation: [\(sample.labels), \(duplicate.labels)];many-to-many matching not allowed: matching labels must be unique on one side")
            }
            oneSide[key] = sample
        }
        var matched: [LabelSet: Set<LabelSet>] = [:]
        var result: [EvaluatedSample] = []
        for sample in many {
            let key = signature(sample.labels, matching)
            guard let other = oneSide[key] else { continue }
            let (a, b) = swapped ? (other.value, sample.value) : (sample.value, other.value)
            var (value, keep) = Self.apply(operation, a, b)
            var labels = resultLabels(sample.labels, other.labels, operation, matching)
            if returnBool { labels = labels.droppingMetricName }
            // Prometheus 3 finds a pair that matches twice even when the comparison drops it
            // (3.9, #17668); Prometheus 2 looked only at the pairs the comparison kept.
            if engine.semantics == .prometheus3 { try recordMatch(key, labels, matching, in: &matched) }
            if returnBool {
                value = keep ? 1 : 0
            } else if !keep {
                continue
            }
            if engine.semantics == .prometheus2 { try recordMatch(key, labels, matching, in: &matched) }
            result.append(EvaluatedSample(labels: labels, value: value, timestamp: sample.timestamp))
        }
        return try unique(result)
    }

    /// Notes a matched pair, refusing a second match of the same group (one-to-one) or of the
    /// same result labels (group_left/group_right).
    private func recordMatch(
        _ key: LabelSet, _ labels: LabelSet, _ matching: PromQLExpression.VectorMatching, in matched: inout [LabelSet: Set<LabelSet>]
    ) throws {
        if matching.cardinality == .oneToOne {
            guard matched[key] == nil else {
                throw PromQLError(message: "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
            }
            matched[key] = []
        } else {
            guard matched[key, default: []].insert(labels).inserted else {
                throw PromQLError(message: "multiple matches for labels: grouping labels must ensure unique matches")
            }
        }
    }

    /// A matched pair's labels: the "many" side's, without the metric name for arithmetic, only
    /// the `on` labels (or without the `ignoring` ones) for one-to-one, plus `group_x`'s labels
    /// from the "one" side.
    func resultLabels(
        _ many: LabelSet, _ one: LabelSet, _ operation: PromQLExpression.BinaryOperator, _ matching: PromQLExpression.VectorMatching
    ) -> LabelSet {
        var labels = operation.dropsMetricName(engine.semantics) ? many.droppingMetricName : many
        if matching.cardinality == .oneToOne {
            labels = matching.on ? labels.keeping(matching.labels) : labels.removing(matching.labels)
        }
        for name in matching.include {
            let value = one[name]
            labels = value.isEmpty ? labels.removing([name]) : labels.setting(name, to: value)
        }
        return labels
    }

    func setAnd(_ left: [EvaluatedSample], _ right: [EvaluatedSample], _ matching: PromQLExpression.VectorMatching) -> [EvaluatedSample] {
        let keys = Set(right.map { signature($0.labels, matching) })
        return left.filter { keys.contains(signature($0.labels, matching)) }
    }

    func setOr(_ left: [EvaluatedSample], _ right: [EvaluatedSample], _ matching: PromQLExpression.VectorMatching) -> [EvaluatedSample] {
        let keys = Set(left.map { signature($0.labels, matching) })
        return left + right.filter { !keys.contains(signature($0.labels, matching)) }
    }

    func setUnless(_ left: [EvaluatedSample], _ right: [EvaluatedSample], _ matching: PromQLExpression.VectorMatching) -> [EvaluatedSample] {
        let keys = Set(right.map { signature($0.labels, matching) })
        return left.filter { !keys.contains(signature($0.labels, matching)) }
    }
}
