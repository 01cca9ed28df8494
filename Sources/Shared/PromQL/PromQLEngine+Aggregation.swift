import Foundation
import TimeSeries

/// Aggregation operators: `sum`, `avg`, `topk`, `quantile`, `count_values` and the rest.
extension Evaluation {
    /// One group's running state, computed as Prometheus computes it (Kahan sums, a mean that
    /// switches to incremental form only if the sum would overflow).
    private struct Group {
        var labels: LabelSet
        var count = 1.0
        var value: Double
        var compensation = 0.0
        var mean: Double
        var incrementalMean = false
        var values: [Double] = []
        var members: [EvaluatedSample] = []
    }

    func aggregate(_ aggregation: PromQLExpression.Aggregation, at time: Int64) throws -> [EvaluatedSample] {
        let samples = try vector(aggregation.operand, at: time)
        let operation = aggregation.operation
        var parameter = Double.nan
        var valueLabel = ""
        if let given = aggregation.parameter {
            if operation == .countValues {
                guard case .string(let label) = try evaluate(given, at: time) else { throw PromQLError(message: "count_values needs a label name") }
                valueLabel = label
            } else {
                parameter = try scalar(given, at: time)
            }
        }
        if operation == .topk || operation == .bottomk {
            return try selectTop(samples, aggregation, k: parameter)
        }
        var groups: [LabelSet: Group] = [:]
        var order: [LabelSet] = []
        for sample in samples {
            var key = groupLabels(sample.labels, aggregation.grouping)
            if operation == .countValues { key = key.setting(valueLabel, to: PromQLMath.format(sample.value)) }
            guard var group = groups[key] else {
                var group = Group(labels: key, value: sample.value, mean: sample.value)
                switch operation {
                // A lone NaN or infinity has no deviation to measure: NaN, as Prometheus 3 answers.
                case .stddev, .stdvar: group.value = sample.value.isFinite || engine.semantics == .prometheus2 ? 0 : .nan
                case .quantile: group.values = [sample.value]
                default: break
                }
                groups[key] = group
                order.append(key)
                continue
            }
            add(sample.value, to: &group, operation)
            groups[key] = group
        }
        return order.map { key in
            let group = groups[key]!
            let value: Double = switch operation {
            case .sum: group.value + group.compensation
            case .avg: group.incrementalMean ? group.mean + group.compensation : (group.value + group.compensation) / group.count
            case .count, .countValues: group.count
            case .group: 1
            case .min, .max: group.value
            case .stdvar: group.value / group.count
            case .stddev: sqrt(group.value / group.count)
            case .quantile: PromQLMath.quantile(parameter, group.values)
            case .topk, .bottomk: .nan
            }
            return EvaluatedSample(labels: group.labels, value: value, timestamp: time)
        }
    }

    private func add(_ value: Double, to group: inout Group, _ operation: PromQLExpression.AggregationOperator) {
        switch operation {
        case .sum:
            (group.value, group.compensation) = PromQLMath.kahanAdd(value, group.value, group.compensation)
        case .avg:
            group.count += 1
            if !group.incrementalMean {
                let (sum, compensation) = PromQLMath.kahanAdd(value, group.value, group.compensation)
                if !sum.isInfinite {
                    (group.value, group.compensation) = (sum, compensation)
                    return
                }
                // The sum would overflow: go on with the mean, updated incrementally.
                group.incrementalMean = true
                group.mean = group.value / (group.count - 1)
                group.compensation /= group.count - 1
            }
            if group.mean.isInfinite {
                if value.isInfinite, (group.mean > 0) == (value > 0) { return }
                if !value.isInfinite, !value.isNaN { return }
            }
            let current = group.mean + group.compensation
            (group.mean, group.compensation) = PromQLMath.kahanAdd(value / group.count - current / group.count, group.mean, group.compensation)
        case .count, .countValues, .group:
            group.count += 1
        case .min:
            if group.value > value || group.value.isNaN { group.value = value }
        case .max:
            if group.value < value || group.value.isNaN { group.value = value }
        case .stddev, .stdvar:
            group.count += 1
            let delta = value - (group.mean + group.compensation)
            (group.mean, group.compensation) = PromQLMath.kahanAdd(delta / group.count, group.mean, group.compensation)
            group.value += delta * (value - (group.mean + group.compensation))
        case .quantile:
            group.values.append(value)
        case .topk, .bottomk:
            break
        }
    }

    /// The labels a sample is grouped by: only the `by` labels, or all but the `without` ones
    /// and the metric name; with no grouping, none.
    func groupLabels(_ labels: LabelSet, _ grouping: PromQLExpression.Grouping?) -> LabelSet {
        guard let grouping else { return LabelSet([:]) }
        return grouping.without ? labels.removing(grouping.labels + [LabelSet.metricNameLabel]) : labels.keeping(grouping.labels)
    }

    /// `topk` and `bottomk`: the k largest (smallest) samples of each group, whole, largest
    /// (smallest) first; NaN counts as the least wanted.
    private func selectTop(_ samples: [EvaluatedSample], _ aggregation: PromQLExpression.Aggregation, k parameter: Double) throws -> [EvaluatedSample] {
        guard !parameter.isNaN else { throw PromQLError(message: "Parameter value is NaN") }
        let k = parameter >= 9.2e18 ? Int.max : (parameter < 1 ? 0 : Int(parameter))
        guard k >= 1 else { return [] }
        let top = aggregation.operation == .topk
        var groups: [LabelSet: [EvaluatedSample]] = [:]
        var order: [LabelSet] = []
        for sample in samples {
            let key = groupLabels(sample.labels, aggregation.grouping)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(sample)
        }
        func before(_ a: EvaluatedSample, _ b: EvaluatedSample) -> Bool {
            if a.value.isNaN != b.value.isNaN { return !a.value.isNaN }
            if a.value != b.value, !a.value.isNaN { return top ? a.value > b.value : a.value < b.value }
            return a.labels < b.labels
        }
        return order.flatMap { key in groups[key]!.sorted(by: before).prefix(k) }
    }
}
