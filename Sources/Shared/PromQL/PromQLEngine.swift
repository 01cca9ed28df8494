import TimeSeries

/// Evaluates PromQL expressions over a `SeriesStore`, as Prometheus 2.x does.
///
/// An instant query at time t: a selector takes each series' newest sample in the
/// lookback window `[t - 5m, t]` (a staleness marker there means "gone"); a range
/// selector `x[r]` takes the samples in `[t - r, t]`; `offset d` shifts both back by d.
/// Functions, aggregations and operators then work on those values. The semantics,
/// down to the extrapolation in `rate`, follow Prometheus; a differential test
/// compares the answers with a real Prometheus.
public struct PromQLEngine: Sendable {
    public let store: SeriesStore
    /// How far back a selector looks for a series' newest sample: 5 minutes, as in Prometheus.
    public var lookbackMilliseconds: Int64 = 300_000

    public init(store: SeriesStore) {
        self.store = store
    }

    /// Parses `query` and evaluates it at `time` (milliseconds since the epoch).
    public func evaluate(_ query: String, at time: Int64) throws -> PromQLValue {
        try evaluate(PromQLParser.parse(query), at: time)
    }

    /// Evaluates a parsed expression at `time` (milliseconds since the epoch).
    public func evaluate(_ expression: PromQLExpression, at time: Int64) throws -> PromQLValue {
        switch expression {
        case .number(let value):
            return .scalar(value)
        case .vectorSelector(let selector):
            return .vector(instant(selector, at: time))
        case .matrixSelector(let selector, let range):
            return .matrix(self.range(selector, range: range, at: time))
        case .negation(let inner):
            switch try evaluate(inner, at: time) {
            case .scalar(let value): return .scalar(-value)
            case .vector(let elements): return .vector(elements.map { VectorElement(labels: $0.labels.droppingMetricName, value: -$0.value) })
            case .matrix: throw PromQLError(message: "unary minus needs a scalar or an instant vector")
            }
        case .call(let function, let arguments):
            return try call(function, arguments, at: time)
        case .aggregation(let operation, let inner, let grouping):
            return .vector(aggregate(operation, try vector(inner, at: time), grouping))
        case .binary(let operation, let left, let right, let matching, let returnBool):
            return try binary(operation, try evaluate(left, at: time), try evaluate(right, at: time), matching, returnBool: returnBool)
        }
    }

    // MARK: Selectors

    private func instant(_ selector: PromQLExpression.Selector, at time: Int64) -> [VectorElement] {
        let reference = time - selector.offsetMilliseconds
        return store.select(selector.matchers, from: reference - lookbackMilliseconds, through: reference).compactMap { series in
            guard let newest = series.samples.last, !newest.isStale else { return nil }
            return VectorElement(labels: series.labels, value: newest.value)
        }
    }

    private func range(_ selector: PromQLExpression.Selector, range: Int64, at time: Int64) -> [RangeSeries] {
        let reference = time - selector.offsetMilliseconds
        return store.select(selector.matchers, from: reference - range, through: reference).compactMap { series in
            let samples = series.samples.filter { !$0.isStale }
            return samples.isEmpty ? nil : RangeSeries(labels: series.labels, samples: samples)
        }
    }

    private func vector(_ expression: PromQLExpression, at time: Int64) throws -> [VectorElement] {
        guard case .vector(let elements) = try evaluate(expression, at: time) else {
            throw PromQLError(message: "expected an instant vector, got a scalar or a range vector")
        }
        return elements
    }

    private func scalar(_ expression: PromQLExpression, at time: Int64) throws -> Double {
        guard case .scalar(let value) = try evaluate(expression, at: time) else {
            throw PromQLError(message: "expected a scalar, got a vector (wrap it in scalar() if it has one element)")
        }
        return value
    }

    // MARK: Functions

    private func call(_ function: PromQLFunction, _ arguments: [PromQLExpression], at time: Int64) throws -> PromQLValue {
        switch function {
        case .time:
            return .scalar(Double(time) / 1000)
        case .vector:
            return .vector([VectorElement(labels: LabelSet([:]), value: try scalar(arguments[0], at: time))])
        case .scalar:
            let elements = try vector(arguments[0], at: time)
            return .scalar(elements.count == 1 ? elements[0].value : .nan)
        case .abs:
            return .vector(try vector(arguments[0], at: time).map { VectorElement(labels: $0.labels.droppingMetricName, value: Swift.abs($0.value)) })
        case .histogramQuantile:
            return .vector(HistogramQuantile.evaluate(quantile: try scalar(arguments[0], at: time), buckets: try vector(arguments[1], at: time)))
        case .rate, .increase, .irate, .delta, .avgOverTime, .maxOverTime, .minOverTime, .sumOverTime, .countOverTime:
            guard case .matrixSelector(let selector, let rangeMilliseconds) = arguments[0] else {
                throw PromQLError(message: "\(function.rawValue)() needs a range vector such as x[5m]")
            }
            let window = RangeWindow(
                start: time - selector.offsetMilliseconds - rangeMilliseconds, end: time - selector.offsetMilliseconds,
                rangeSeconds: Double(rangeMilliseconds) / 1000)
            let elements = range(selector, range: rangeMilliseconds, at: time).compactMap { series -> VectorElement? in
                guard let value = RangeFunctions.apply(function, series.samples, window) else { return nil }
                return VectorElement(labels: series.labels.droppingMetricName, value: value)
            }
            return .vector(try unique(elements))
        }
    }

    // MARK: Aggregation

    private func aggregate(
        _ operation: PromQLExpression.Aggregation, _ elements: [VectorElement], _ grouping: PromQLExpression.Grouping?
    ) -> [VectorElement] {
        struct Group {
            var value: Double
            var mean: Double
            var count: Double
        }
        var groups: [LabelSet: Group] = [:]
        var order: [LabelSet] = []
        for element in elements {
            let key: LabelSet
            switch grouping {
            case nil: key = LabelSet([:])
            case let grouping? where grouping.without: key = element.labels.removing(grouping.labels + [LabelSet.metricNameLabel])
            case let grouping?: key = element.labels.keeping(grouping.labels)
            }
            guard var group = groups[key] else {
                groups[key] = Group(value: element.value, mean: element.value, count: 1)
                order.append(key)
                continue
            }
            let value = element.value
            group.count += 1
            switch operation {
            case .sum: group.value += value
            case .max: if group.value < value || group.value.isNaN { group.value = value }
            case .min: if group.value > value || group.value.isNaN { group.value = value }
            case .count: break
            case .avg:
                // Prometheus keeps a running mean, dividing before subtracting to avoid overflow.
                if group.mean.isInfinite {
                    if value.isInfinite, (group.mean > 0) == (value > 0) { break }
                    if !value.isInfinite, !value.isNaN { break }
                }
                group.mean += value / group.count - group.mean / group.count
            }
            groups[key] = group
        }
        return order.sorted().map { key in
            let group = groups[key]!
            let value = switch operation {
            case .sum, .min, .max: group.value
            case .avg: group.mean
            case .count: group.count
            }
            return VectorElement(labels: key, value: value)
        }
    }

    // MARK: Binary operators

    private func binary(
        _ operation: PromQLExpression.BinaryOperator, _ left: PromQLValue, _ right: PromQLValue,
        _ matching: PromQLExpression.VectorMatching?, returnBool: Bool
    ) throws -> PromQLValue {
        switch (left, right) {
        case (.scalar(let lhs), .scalar(let rhs)):
            let (value, keep) = Self.apply(operation, lhs, rhs)
            return .scalar(operation.isComparison ? (keep ? 1 : 0) : value)
        case (.vector(let elements), .scalar(let rhs)):
            return .vector(try unique(elements.compactMap { scalarOperation(operation, $0, rhs, scalarOnLeft: false, returnBool: returnBool) }))
        case (.scalar(let lhs), .vector(let elements)):
            return .vector(try unique(elements.compactMap { scalarOperation(operation, $0, lhs, scalarOnLeft: true, returnBool: returnBool) }))
        case (.vector(let lhs), .vector(let rhs)):
            return .vector(try vectorOperation(operation, lhs, rhs, matching, returnBool: returnBool))
        default:
            throw PromQLError(message: "operator \(operation.rawValue) needs scalars or instant vectors")
        }
    }

    private func scalarOperation(
        _ operation: PromQLExpression.BinaryOperator, _ element: VectorElement, _ scalar: Double, scalarOnLeft: Bool, returnBool: Bool
    ) -> VectorElement? {
        let (value, keep) = scalarOnLeft ? Self.apply(operation, scalar, element.value) : Self.apply(operation, element.value, scalar)
        if operation.isComparison {
            if returnBool { return VectorElement(labels: element.labels.droppingMetricName, value: keep ? 1 : 0) }
            // A comparison filters: what passes keeps the vector's own value, on either side.
            return keep ? element : nil
        }
        return VectorElement(labels: element.labels.droppingMetricName, value: value)
    }

    private func vectorOperation(
        _ operation: PromQLExpression.BinaryOperator, _ left: [VectorElement], _ right: [VectorElement],
        _ matching: PromQLExpression.VectorMatching?, returnBool: Bool
    ) throws -> [VectorElement] {
        func signature(_ labels: LabelSet) -> LabelSet {
            guard let matching else { return labels.droppingMetricName }
            return matching.on ? labels.keeping(matching.labels) : labels.removing(matching.labels + [LabelSet.metricNameLabel])
        }
        if operation.isSetOperator {
            let rightSignatures = Set(right.map { signature($0.labels) })
            switch operation {
            case .and: return try unique(left.filter { rightSignatures.contains(signature($0.labels)) })
            case .unless: return try unique(left.filter { !rightSignatures.contains(signature($0.labels)) })
            default:
                let leftSignatures = Set(left.map { signature($0.labels) })
                return try unique(left + right.filter { !leftSignatures.contains(signature($0.labels)) })
            }
        }
        var rightBySignature: [LabelSet: VectorElement] = [:]
        for element in right {
            let key = signature(element.labels)
            guard rightBySignature[key] == nil else {
                throw PromQLError(message: "found duplicate series for the match group \(key) on the right-hand side of \(operation.rawValue); many-to-many matching is not allowed: matching labels must be unique on one side")
            }
            rightBySignature[key] = element
        }
        var matched = Set<LabelSet>()
        var result: [VectorElement] = []
        for element in left {
            let key = signature(element.labels)
            guard let partner = rightBySignature[key] else { continue }
            let (value, keep) = Self.apply(operation, element.value, partner.value)
            if operation.isComparison, !returnBool, !keep { continue }
            guard matched.insert(key).inserted else {
                throw PromQLError(message: "multiple matches for labels \(key) on the left-hand side of \(operation.rawValue): many-to-one matching must be explicit (group_left/group_right, not supported by this subset)")
            }
            var labels = element.labels
            if !operation.isComparison || returnBool { labels = labels.droppingMetricName }
            if let matching {
                labels = matching.on ? labels.keeping(matching.labels) : labels.removing(matching.labels)
            }
            result.append(VectorElement(labels: labels, value: operation.isComparison ? (returnBool ? (keep ? 1 : 0) : element.value) : value))
        }
        return try unique(result)
    }

    /// The result of `lhs op rhs`, and for comparisons whether it holds.
    private static func apply(_ operation: PromQLExpression.BinaryOperator, _ lhs: Double, _ rhs: Double) -> (Double, Bool) {
        switch operation {
        case .add: (lhs + rhs, true)
        case .subtract: (lhs - rhs, true)
        case .multiply: (lhs * rhs, true)
        case .divide: (lhs / rhs, true)
        case .equal: (lhs, lhs == rhs)
        case .notEqual: (lhs, lhs != rhs)
        case .greater: (lhs, lhs > rhs)
        case .less: (lhs, lhs < rhs)
        case .greaterOrEqual: (lhs, lhs >= rhs)
        case .lessOrEqual: (lhs, lhs <= rhs)
        case .and, .or, .unless: (lhs, true)
        }
    }

    /// Sorts a result by labels and refuses two elements with the same labels, as Prometheus does.
    private func unique(_ elements: [VectorElement]) throws -> [VectorElement] {
        let sorted = elements.sorted { $0.labels < $1.labels }
        for index in sorted.indices.dropFirst() where sorted[index].labels == sorted[index - 1].labels {
            throw PromQLError(message: "vector cannot contain metrics with the same labelset \(sorted[index].labels)")
        }
        return sorted
    }
}
