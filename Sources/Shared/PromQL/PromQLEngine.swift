import Foundation
import TimeSeries

/// Evaluates PromQL over a `SeriesStore`, as Prometheus 3 does (or Prometheus 2, if asked).
///
/// An instant query at time t: a selector takes each series' newest sample in the 5-minute
/// lookback before t (a staleness marker there means "gone"); a range selector `x[r]` takes
/// the samples in the r before t; `offset d` shifts both back by d, and `@ t0` evaluates
/// them at t0 instead. Subqueries evaluate their expression at each step of their range.
/// Functions, aggregations and operators then work on those values, with Prometheus's rules
/// for labels, matching and errors. A range query is an instant query at every step.
/// A differential test compares the answers with a real Prometheus.
public struct PromQLEngine: Sendable {
    public let store: SeriesStore
    /// Whose rules: Prometheus 3 (the default) or 2; see `PromQLSemantics`.
    public var semantics: PromQLSemantics
    /// How far back a selector looks for a series' newest sample: 5 minutes, as in Prometheus.
    public var lookbackMilliseconds: Int64 = 300_000
    /// A subquery's step when it names none: Prometheus's default evaluation interval, 1 minute.
    public var defaultSubqueryStepMilliseconds: Int64 = 60_000
    /// The most samples one query may load, counting each point of a subquery: Prometheus's default.
    public var maximumSamples = 50_000_000
    /// The longest a query may run, in seconds.
    public var timeoutSeconds = 60.0

    /// The most steps a range query may take, as Prometheus's API allows: (end − start) / step
    /// may be 11,000 (so 11,001 points), not more.
    public static let maximumPointsPerSeries = 11_000

    public init(store: SeriesStore, semantics: PromQLSemantics = .prometheus3) {
        self.store = store
        self.semantics = semantics
    }

    /// Parses `query` and evaluates it at `time` (milliseconds since the epoch).
    public func evaluate(_ query: String, at time: Int64) throws -> PromQLValue {
        try evaluate(PromQLParser.parse(query, semantics: semantics), at: time)
    }

    /// Evaluates a parsed expression at `time` (milliseconds since the epoch).
    public func evaluate(_ expression: PromQLExpression, at time: Int64) throws -> PromQLValue {
        try checkTime(time)
        // An instant query has no step and no range: step() and range() are 0 in it.
        let expression = try expression.resolvingDurations(stepMilliseconds: 0, rangeMilliseconds: 0)
        let evaluation = Evaluation(engine: self, start: time, end: time)
        switch try evaluation.evaluate(expression, at: time) {
        case .scalar(let value): return .scalar(value)
        case .string(let text): return .string(text)
        case .vector(let samples):
            let elements = samples.map { VectorElement(labels: $0.labels, value: $0.value) }
            return .vector(Self.keepsOrder(expression) ? elements : elements.sorted { $0.labels < $1.labels })
        case .matrix(let series):
            return .matrix(series.sorted { $0.labels < $1.labels })
        }
    }

    /// Parses `query` and evaluates it at every step from `start` through `end` (milliseconds),
    /// as Prometheus's `/api/v1/query_range` does: one series per label set, with a point at
    /// each step where it has a value.
    public func evaluateRange(_ query: String, start: Int64, end: Int64, step: Int64) throws -> PromQLValue {
        try evaluateRange(PromQLParser.parse(query, semantics: semantics), start: start, end: end, step: step)
    }

    /// Evaluates a parsed expression at every step from `start` through `end` (milliseconds).
    public func evaluateRange(_ expression: PromQLExpression, start: Int64, end: Int64, step: Int64) throws -> PromQLValue {
        try checkTime(start)
        try checkTime(end)
        guard end >= start else { throw PromQLError(message: "end timestamp must not be before start time") }
        guard step > 0 else { throw PromQLError(message: "zero or negative query resolution step widths are not accepted. Try a positive integer") }
        guard (end - start) / step <= Int64(Self.maximumPointsPerSeries) else {
            throw PromQLError(message: "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let type = PromQLParser.type(of: expression)
        guard type == .scalar || type == .instantVector else {
            throw PromQLError(message: "invalid expression type \"\(type.rawValue)\" for range query, must be Scalar or instant Vector")
        }
        let expression = try expression.resolvingDurations(stepMilliseconds: step, rangeMilliseconds: end - start)
        let evaluation = Evaluation(engine: self, start: start, end: end)
        var series: [LabelSet: [StoredSample]] = [:]
        var time = start
        while time <= end {
            switch try evaluation.evaluate(expression, at: time) {
            case .scalar(let value):
                series[LabelSet([:]), default: []].append(StoredSample(timestamp: time, value: value))
            case .vector(let samples):
                for sample in samples { series[sample.labels, default: []].append(StoredSample(timestamp: time, value: sample.value)) }
            default:
                throw PromQLError(message: "invalid expression type for range query, must be Scalar or instant Vector")
            }
            time += step
        }
        return .matrix(series.map { RangeSeries(labels: $0.key, samples: $0.value) }.sorted { $0.labels < $1.labels })
    }

    /// Whether the answer's order is the answer: `sort`, `sort_desc`, and `topk`/`bottomk`.
    static func keepsOrder(_ expression: PromQLExpression) -> Bool {
        switch expression {
        case .parentheses(let inner): keepsOrder(inner)
        case .call(let function, _): function == .sort || function == .sortDesc
        case .aggregation(let aggregation): aggregation.operation == .topk || aggregation.operation == .bottomk
        default: false
        }
    }

    private func checkTime(_ time: Int64) throws {
        guard Swift.abs(Double(time)) <= PromQLSemantics.latestTimeMilliseconds else {
            throw PromQLError(message: "the evaluation time \(Double(time) / 1000) s is out of range")
        }
    }
}

/// One sample of an evaluation's instant vector: its series' labels, its value, and the time of
/// the stored sample it came from (what `timestamp()` reports for a bare selector).
struct EvaluatedSample {
    var labels: LabelSet
    var value: Double
    var timestamp: Int64
}

/// What a node evaluates to.
enum EvaluatedValue {
    case scalar(Double)
    case vector([EvaluatedSample])
    case matrix([RangeSeries])
    case string(String)
}

/// One query's evaluation: its range (for `@ start()` and `@ end()`), its sample budget and deadline.
final class Evaluation {
    let engine: PromQLEngine
    let start: Int64
    let end: Int64
    private var samplesLoaded = 0
    /// What each selector (its matchers, spelled out) found in the store, read once.
    private var selections: [String: [(labels: LabelSet, samples: [StoredSample])]] = [:]
    private let deadline: Double

    init(engine: PromQLEngine, start: Int64, end: Int64) {
        self.engine = engine
        self.start = start
        self.end = end
        deadline = ProcessInfo.processInfo.systemUptime + engine.timeoutSeconds
    }

    var leftOpen: Bool { engine.semantics.leftOpen }

    /// Counts `count` more samples against the budget, and the time against the deadline.
    func load(_ count: Int) throws {
        samplesLoaded += count
        guard samplesLoaded <= engine.maximumSamples else {
            throw PromQLError(message: "query processing would load too many samples into memory in query execution (more than \(engine.maximumSamples))")
        }
        guard ProcessInfo.processInfo.systemUptime < deadline else {
            throw PromQLError(message: "query timed out in query execution (after \(Int(engine.timeoutSeconds)) s)")
        }
    }

    func evaluate(_ expression: PromQLExpression, at time: Int64) throws -> EvaluatedValue {
        switch expression {
        case .number(let value):
            return .scalar(value)
        case .string(let text):
            return .string(text)
        case .parentheses(let inner):
            return try evaluate(inner, at: time)
        case .vectorSelector(let selector):
            return .vector(try instant(selector, at: time))
        case .matrixSelector(let selector, let range):
            return .matrix(try self.range(selector, range: range, at: time).series)
        case .subquery(let inner, let subquery):
            return .matrix(try self.subquery(inner, subquery, at: time).series)
        case .negation(let inner):
            switch try evaluate(inner, at: time) {
            case .scalar(let value): return .scalar(-value)
            case .vector(let samples):
                return .vector(try unique(samples.map { EvaluatedSample(labels: $0.labels.droppingMetricName, value: -$0.value, timestamp: time) }))
            default: throw PromQLError(message: "unary minus needs a scalar or an instant vector")
            }
        case .call(let function, let arguments):
            return try call(function, arguments, at: time)
        case .aggregation(let aggregation):
            return .vector(try aggregate(aggregation, at: time))
        case .binary(let binary):
            return try self.binary(binary, at: time)
        }
    }

    func vector(_ expression: PromQLExpression, at time: Int64) throws -> [EvaluatedSample] {
        guard case .vector(let samples) = try evaluate(expression, at: time) else {
            throw PromQLError(message: "expected an instant vector")
        }
        return samples
    }

    func scalar(_ expression: PromQLExpression, at time: Int64) throws -> Double {
        guard case .scalar(let value) = try evaluate(expression, at: time) else {
            throw PromQLError(message: "expected a scalar")
        }
        return value
    }

    /// The time a selector or subquery looks at: `@`'s, or the evaluation's, less the offset.
    func reference(_ anchor: PromQLExpression.Anchor?, offset: Int64, at time: Int64) -> Int64 {
        let base: Int64 = switch anchor {
        case .time(let pinned): pinned
        case .start: start
        case .end: end
        case nil: time
        }
        return base - offset
    }

    /// Fails when two samples of `samples` have the same labels, as Prometheus does.
    func unique(_ samples: [EvaluatedSample]) throws -> [EvaluatedSample] {
        guard samples.count > 1 else { return samples }
        var seen = Set<LabelSet>()
        for sample in samples where !seen.insert(sample.labels).inserted {
            throw PromQLError(message: "vector cannot contain metrics with the same labelset")
        }
        return samples
    }

    // MARK: Selectors

    /// The series `matchers` select, with their samples in `[from, through]`. The store is read
    /// once per selector for the whole evaluation, so a range query's steps (and a subquery's)
    /// slice the same series instead of searching the store again at every step.
    private func select(_ matchers: [LabelMatcher], from: Int64, through: Int64) -> [(labels: LabelSet, samples: ArraySlice<StoredSample>)] {
        let key = matchers.map(\.description).joined(separator: ",")
        let all: [(labels: LabelSet, samples: [StoredSample])]
        if let cached = selections[key] {
            all = cached
        } else {
            all = engine.store.select(matchers)
            selections[key] = all
        }
        return all.compactMap { series in
            let window = SeriesStore.window(of: series.samples, from: from, through: through)
            return window.isEmpty ? nil : (series.labels, window)
        }
    }

    func instant(_ selector: PromQLExpression.Selector, at time: Int64) throws -> [EvaluatedSample] {
        let reference = reference(selector.at, offset: selector.offsetMilliseconds, at: time)
        let from = reference - engine.lookbackMilliseconds + (leftOpen ? 1 : 0)
        let selected = select(selector.matchers, from: from, through: reference)
        try load(selected.count)
        return selected.compactMap { series in
            guard let newest = series.samples.last, !newest.isStale else { return nil }
            return EvaluatedSample(labels: series.labels, value: newest.value, timestamp: newest.timestamp)
        }
    }

    /// A range selector's series, and the range's edges (for `rate`'s extrapolation).
    func range(_ selector: PromQLExpression.Selector, range: Int64, at time: Int64) throws -> (series: [RangeSeries], start: Int64, end: Int64) {
        let reference = reference(selector.at, offset: selector.offsetMilliseconds, at: time)
        let from = reference - range + (leftOpen ? 1 : 0)
        var series: [RangeSeries] = []
        for found in select(selector.matchers, from: from, through: reference) {
            // Staleness markers are no samples of a range: only a series that has one is copied.
            let samples = found.samples.contains(where: \.isStale) ? found.samples.filter { !$0.isStale }[...] : found.samples
            try load(samples.count)
            if !samples.isEmpty { series.append(RangeSeries(labels: found.labels, samples: samples)) }
        }
        return (series, reference - range, reference)
    }

    /// A subquery's series: the inner expression at each step of the range, aligned to
    /// multiples of the step (as Prometheus aligns them, so every evaluation sees the same points).
    func subquery(_ inner: PromQLExpression, _ subquery: PromQLExpression.Subquery, at time: Int64) throws -> (series: [RangeSeries], start: Int64, end: Int64) {
        let reference = reference(subquery.at, offset: subquery.offsetMilliseconds, at: time)
        let step = subquery.stepMilliseconds ?? engine.defaultSubqueryStepMilliseconds
        let rangeStart = reference - subquery.rangeMilliseconds
        // Go's integer division truncates toward zero, and so does Swift's.
        var first = step * (rangeStart / step)
        if leftOpen ? first <= rangeStart : first < rangeStart { first += step }
        var points: [LabelSet: [StoredSample]] = [:]
        var order: [LabelSet] = []
        var stepTime = first
        while stepTime <= reference {
            try load(1)
            switch try evaluate(inner, at: stepTime) {
            case .scalar(let value):
                let labels = LabelSet([:])
                if points[labels] == nil { order.append(labels) }
                points[labels, default: []].append(StoredSample(timestamp: stepTime, value: value))
            case .vector(let samples):
                try load(samples.count)
                for sample in samples {
                    if points[sample.labels] == nil { order.append(sample.labels) }
                    points[sample.labels, default: []].append(StoredSample(timestamp: stepTime, value: sample.value))
                }
            default:
                throw PromQLError(message: "subquery is only allowed on instant vector or scalar expressions")
            }
            stepTime += step
        }
        return (order.map { RangeSeries(labels: $0, samples: points[$0]!) }, rangeStart, reference)
    }

    /// A range-vector argument (a range selector or a subquery, maybe in parentheses) with its edges.
    func rangeArgument(_ expression: PromQLExpression, at time: Int64) throws -> (series: [RangeSeries], start: Int64, end: Int64) {
        switch expression {
        case .parentheses(let inner): return try rangeArgument(inner, at: time)
        case .matrixSelector(let selector, let range): return try self.range(selector, range: range, at: time)
        case .subquery(let inner, let subquery): return try self.subquery(inner, subquery, at: time)
        default: throw PromQLError(message: "expected a range vector")
        }
    }
}
