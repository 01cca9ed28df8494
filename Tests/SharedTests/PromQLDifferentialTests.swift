import Foundation
import TestSupport
import XCTest

@testable import Platform
@testable import Instrumentation
@testable import TimeSeries
@testable import PromQL
@testable import WorkbookKit

/// The PromQL subset against the real Prometheus, on the same samples.
///
/// A seeded generator makes counters with resets, gauges that go negative, and
/// histograms on several instances, scraped at irregular intervals with a gap longer
/// than the 5-minute lookback. The samples go to Prometheus through an OpenMetrics file,
/// `promtool tsdb create-blocks-from openmetrics` and a server started on those blocks,
/// and straight into a `SeriesStore` for the subset. Every query is asked of both at
/// several times; label sets must be the same and values equal within 1e-9 relative.
final class PromQLDifferentialTests: XCTestCase {
    static let queries = [
        "dt_requests_total", #"dt_requests_total{code="500"}"#, #"dt_requests_total{instance=~"i[12]"}"#,
        #"dt_requests_total{code!="200"}"#, #"dt_requests_total{instance!~"i1|i3"}"#, "dt_requests_total offset 5m",
        #"{__name__=~"dt_queue.*"}"#,
        "rate(dt_requests_total[5m])", "rate(dt_requests_total[1m])", "rate(dt_requests_total[10m] offset 3m)",
        "increase(dt_requests_total[15m])", "increase(dt_requests_total[90s])", "irate(dt_requests_total[5m])",
        "delta(dt_queue_length[10m])", "avg_over_time(dt_queue_length[10m])", "max_over_time(dt_queue_length[7m])",
        "min_over_time(dt_queue_length[7m])", "sum_over_time(dt_queue_length[5m])", "count_over_time(dt_requests_total[5m])",
        "sum(rate(dt_requests_total[5m]))", "sum by (code) (rate(dt_requests_total[5m]))",
        "sum without (instance) (rate(dt_requests_total[5m]))", "avg by (instance) (dt_queue_length)", "max(dt_queue_length)",
        "min by (instance) (dt_requests_total)", "count(dt_requests_total)", "count by (code) (dt_requests_total)",
        "sum(dt_requests_total) by (instance)", "avg(rate(dt_requests_total[5m])) by (code)",
        "histogram_quantile(0.5, rate(dt_latency_seconds_bucket[5m]))",
        "histogram_quantile(0.9, sum by (le) (rate(dt_latency_seconds_bucket[5m])))",
        "histogram_quantile(0.99, sum by (le, instance) (rate(dt_latency_seconds_bucket[10m])))",
        "histogram_quantile(0.25, dt_latency_seconds_bucket)", "histogram_quantile(1, dt_latency_seconds_bucket)",
        #"(rate(dt_latency_seconds_bucket{le="0.1"}[5m]) + ignoring(le) rate(dt_latency_seconds_bucket{le="0.5"}[5m])) / 2 / ignoring(le) rate(dt_latency_seconds_count[5m])"#,
        "rate(dt_latency_seconds_sum[5m]) / rate(dt_latency_seconds_count[5m])",
        #"sum(rate(dt_requests_total{code="500"}[5m])) / sum(rate(dt_requests_total[5m]))"#,
        #"rate(dt_requests_total{code="500"}[5m]) / ignoring(code) rate(dt_requests_total{code="200"}[5m])"#,
        #"dt_requests_total{code="500"} / on(instance) dt_requests_total{code="200"}"#,
        "dt_queue_length > 0", "dt_queue_length < 0", "dt_queue_length >= 3", "dt_queue_length <= -2",
        "dt_queue_length == 0", "dt_queue_length != 0", "0 < dt_queue_length", "dt_queue_length > bool 0",
        "dt_queue_length * 2 + 1", "-dt_queue_length", "2 * dt_queue_length - dt_queue_length / 4",
        "dt_queue_length - on(instance) dt_queue_length", "rate(dt_requests_total[5m]) > 0.5",
        "sum(rate(dt_requests_total[5m])) > 1", "abs(dt_queue_length)", "time()", "vector(1)",
        "scalar(sum(dt_queue_length))", "1 + 2 * 3 - 4 / 8", "2 > bool 1",
        #"dt_latency_seconds_count - ignoring(le) dt_latency_seconds_bucket{le="+Inf"}"#,
        "max by (instance) (rate(dt_latency_seconds_count[2m]))", "increase(dt_latency_seconds_count[30m])",
        "dt_queue_length / 0", "sum(dt_queue_length) / count(dt_queue_length)",
        "dt_queue_length > 0 and dt_queue_length < 5", #"dt_requests_total{code="500"} or dt_requests_total{code="200"}"#,
        "rate(dt_requests_total[5m]) unless on(instance) dt_queue_length > 2", "dt_queue_length or vector(0)",
        #"dt_latency_seconds_count and on(instance) dt_requests_total{code="500"} > 20"#,
    ]

    /// The rest of the float language: every function Prometheus 2.42 has, every operator and
    /// modifier, subqueries, `@`, and the errors (both sides must refuse the same queries).
    static let wholeLanguageQueries = [
        // Keywords in any case, comments, literals.
        "SUM BY (code) (rate(dt_requests_total[5m]))", "Sum(dt_queue_length) WITHOUT (instance)",
        "dt_queue_length AND ON(instance) dt_queue_length > 0", "dt_queue_length Or vector(1)",
        "dt_queue_length > BOOL 0", "0x10 + 1e1 + .5 + Inf - inf", "NaN", "-2 ^ 2", "2 ^ 3 ^ 2", "10 % 3", "-7 % 3",
        "dt_queue_length # a comment\n + 1",
        // Element-wise functions.
        "abs(-dt_queue_length)", "ceil(rate(dt_requests_total[5m]))", "floor(rate(dt_requests_total[5m]))",
        "round(rate(dt_requests_total[5m]))", "round(rate(dt_requests_total[5m]), 0.25)", "round(dt_queue_length, 3)",
        "sqrt(dt_requests_total)", "exp(dt_queue_length / 10)", "ln(dt_requests_total)", "log2(dt_requests_total)",
        "log10(dt_requests_total)", "sgn(dt_queue_length)", "clamp(dt_queue_length, -1, 2)", "clamp(dt_queue_length, 2, -1)",
        "clamp_min(dt_queue_length, 0)", "clamp_max(dt_queue_length, 0)", "sin(dt_queue_length)", "cos(dt_queue_length)",
        "tan(dt_queue_length)", "asin(dt_queue_length / 100)", "acos(dt_queue_length / 100)", "atan(dt_queue_length)",
        "sinh(dt_queue_length / 10)", "cosh(dt_queue_length / 10)", "tanh(dt_queue_length)", "asinh(dt_queue_length)",
        "acosh(dt_requests_total + 1)", "atanh(dt_queue_length / 100)", "deg(dt_queue_length)", "rad(dt_queue_length)",
        "pi()", "dt_queue_length atan2 2", "2 atan2 dt_queue_length", "dt_queue_length atan2 on(instance) dt_queue_length",
        "dt_queue_length ^ 2", "dt_queue_length % 4", "dt_requests_total % on(instance, code) dt_requests_total",
        // Time and calendar.
        "timestamp(dt_queue_length)", "timestamp(dt_queue_length offset 2m)", "timestamp(-dt_queue_length)",
        "minute()", "hour()", "day_of_week()", "day_of_month()", "day_of_year()", "days_in_month()", "month()", "year()",
        "hour(timestamp(dt_queue_length))", "minute(vector(1700000000))", "days_in_month(vector(1709251200))",
        "day_of_year(vector(1704067199))", "year(vector(0))",
        // Over time.
        "quantile_over_time(0.5, dt_queue_length[10m])", "quantile_over_time(0, dt_queue_length[10m])",
        "quantile_over_time(1.5, dt_queue_length[10m])", "quantile_over_time(-1, dt_queue_length[10m])",
        "stddev_over_time(dt_queue_length[10m])", "stdvar_over_time(dt_queue_length[10m])",
        "last_over_time(dt_queue_length[10m])", "present_over_time(dt_queue_length[3m])",
        "absent_over_time(dt_queue_length[3m])", #"absent_over_time(dt_nothing{job="x", instance=~"a"}[5m])"#,
        "changes(dt_queue_length[10m])", "resets(dt_requests_total[30m])", "idelta(dt_queue_length[5m])",
        "irate(dt_latency_seconds_count[5m])", "deriv(dt_queue_length[10m])", "predict_linear(dt_queue_length[10m], 600)",
        "predict_linear(dt_requests_total[15m], 3600)", "holt_winters(dt_queue_length[10m], 0.5, 0.5)",
        "holt_winters(dt_queue_length[10m], 0.1, 0.9)", "holt_winters(dt_queue_length[10m], 1, 0.5)",
        "delta(dt_requests_total[10m])", "rate(dt_requests_total[30s])", "increase(dt_requests_total[1h])",
        "rate(dt_requests_total[5m] offset -2m)", "sum_over_time(dt_constant[10m])", "deriv(dt_constant[10m])",
        "predict_linear(dt_constant[10m], 60)",
        // Aggregations with parameters.
        "topk(2, dt_requests_total)", "bottomk(2, dt_requests_total)", "topk by (code) (1, dt_requests_total)",
        "bottomk without (code) (1, dt_requests_total)", "topk(0, dt_requests_total)", "topk(1.9, dt_queue_length)",
        "topk(scalar(count(dt_queue_length)), dt_queue_length)", "quantile(0.5, dt_queue_length)",
        "quantile by (code) (0.9, rate(dt_requests_total[5m]))", "quantile(2, dt_queue_length)", "quantile(-1, dt_queue_length)",
        #"count_values("value", dt_queue_length)"#, #"count_values by (instance) ("value", dt_queue_length)"#,
        #"count_values("code", dt_requests_total)"#, "stddev(dt_queue_length)", "stdvar by (code) (rate(dt_requests_total[5m]))",
        "group(dt_requests_total)", "group by (code) (dt_requests_total)", "count without () (dt_requests_total)",
        "sum by () (dt_queue_length)", "avg without (instance, code) (dt_requests_total)", "max by (le) (dt_latency_seconds_bucket)",
        "sum(dt_queue_length) by (instance,)",
        // Sorting, absent, labels.
        "sort(dt_queue_length)", "sort_desc(rate(dt_requests_total[5m]))", #"absent(dt_nothing{job="x"})"#,
        #"absent(dt_nothing{job="x", job="y"})"#, #"absent(dt_nothing{job=~"x"})"#, "absent(dt_queue_length)",
        "absent(sum(dt_nothing))", #"label_replace(dt_labels, "service", "$1", "path", "/api/(v[0-9]+)/.*")"#,
        #"label_replace(dt_labels, "both", "$1-${2}x", "host", "(web)-([0-9]+).*")"#,
        #"label_replace(dt_labels, "host", "", "host", ".*")"#, #"label_replace(dt_labels, "x", "$1x", "host", "(.*)")"#,
        #"label_replace(dt_labels, "x", "$$ and $name", "host", "(?P<name>w.b)-.*")"#,
        #"label_replace(dt_labels, "path", "unmatched", "host", "nothing")"#,
        #"label_join(dt_labels, "joined", "|", "host", "path", "missing")"#, #"label_join(dt_labels, "host", "")"#,
        "scalar(dt_queue_length)", "vector(scalar(sum(dt_queue_length)))",
        // Vector matching.
        #"dt_requests_total / on(instance) group_left dt_queue_length"#,
        #"dt_requests_total * on(instance) group_left(extra) dt_labels_by_instance"#,
        #"dt_labels_by_instance * on(instance) group_right(extra) dt_requests_total"#,
        #"dt_requests_total + ignoring(code) group_left dt_queue_length"#,
        #"dt_requests_total > on(instance) group_left dt_queue_length"#,
        #"dt_requests_total > bool on(instance) group_left dt_queue_length"#,
        "dt_requests_total + on(instance) dt_queue_length", "dt_queue_length + on(instance) dt_requests_total",
        #"dt_requests_total + ignoring(code) dt_requests_total"#, "dt_requests_total == bool dt_requests_total",
        "dt_queue_length or on(instance) dt_requests_total", "dt_requests_total unless ignoring(code) dt_queue_length",
        "dt_requests_total and dt_requests_total offset 1m",
        // Subqueries, offset and @.
        "max_over_time(dt_queue_length[10m:1m])", "rate(dt_requests_total[5m])[20m:2m]",
        "avg_over_time(rate(dt_requests_total[5m])[15m:30s])", "min_over_time(dt_queue_length[7m:])",
        "max_over_time((dt_queue_length > 0)[10m:1m] offset 5m)", "sum_over_time(vector(1)[10m:1m])",
        "count_over_time(dt_queue_length[1h:5m])", "deriv(sum(dt_requests_total)[10m:1m])",
        "dt_queue_length[5m:1m]", "dt_queue_length[3m]", "dt_queue_length[3m] offset 1m",
        "dt_queue_length @ start()", "dt_queue_length @ end()", "rate(dt_requests_total[5m] @ end())",
        "sum(dt_queue_length @ start()) + sum(dt_queue_length)", "max_over_time(dt_queue_length[10m:1m] @ end())",
        "dt_queue_length offset 1m @ end()", "time() - timestamp(dt_queue_length)",
        // Errors both sides must refuse.
        #"rate({__name__=~"dt_dup_.*"}[5m])"#, #"-{__name__=~"dt_dup_.*"}"#, #"abs({__name__=~"dt_dup_.*"})"#,
        #"{__name__=~"dt_dup_.*"} * 2"#, #"{__name__=~"dt_dup_.*"}"#, #"histogram_quantile(0.5, {__name__=~"dt_h[12]_bucket"})"#,
        "dt_requests_total + dt_queue_length", "dt_queue_length + on() dt_queue_length",
        "dt_requests_total + on(instance) dt_requests_total", "dt_requests_total / on(instance) group_left dt_requests_total",
        #"label_replace(dt_labels, "1bad", "x", "host", ".*")"#, #"label_replace(dt_labels, "x", "x", "host", "(")"#,
        #"count_values("1bad", dt_queue_length)"#, "holt_winters(dt_queue_length[10m], 0, 0.5)",
        "sum(dt_queue_length", "rate(dt_queue_length)", "dt_queue_length[5m] + 1", "1 > 2", "foo{}", #"{x=""}"#,
        // Non-monotonic buckets and other histograms.
        "histogram_quantile(0.5, dt_nm_bucket)", "histogram_quantile(0.9, dt_nm_bucket)", "histogram_quantile(0.99, dt_nm_bucket)",
        "histogram_quantile(0.5, dt_h1_bucket)", "histogram_quantile(NaN, dt_h1_bucket)", "histogram_quantile(-0.5, dt_h1_bucket)",
        "histogram_quantile(0.5, dt_noinf_bucket)",
    ]

    /// Range queries: (query, start offset and end offset from the data's start in minutes, step in seconds).
    static let rangeQueries: [(String, Int64, Int64, Int64)] = [
        ("rate(dt_requests_total[5m])", 0, 60, 60), ("sum by (code) (increase(dt_requests_total[10m]))", 5, 70, 120),
        ("dt_queue_length", 20, 40, 15), ("max_over_time(dt_queue_length[10m:1m])", 0, 60, 300),
        ("histogram_quantile(0.9, sum by (le) (rate(dt_latency_seconds_bucket[5m])))", 0, 60, 90),
        ("time()", 0, 10, 60), ("dt_queue_length @ start()", 10, 30, 60), ("dt_queue_length offset 10m", 10, 30, 37),
        ("topk(1, dt_queue_length)", 0, 60, 180), ("absent(dt_nothing)", 0, 30, 300), ("vector(1) or dt_queue_length", 0, 20, 120),
        ("deriv(dt_queue_length[5m])", 0, 60, 240), ("changes(dt_queue_length[5m]) > 2", 0, 60, 120),
        ("dt_requests_total / on(instance) group_left dt_queue_length", 0, 60, 600), ("-dt_queue_length", 0, 60, 600),
        ("max_over_time(rate(dt_requests_total[5m])[30m:5m])", 0, 10, 60), ("dt_queue_length atan2 2", 0, 20, 300),
    ]

    func testTheEngineAnswersLikePrometheus() throws {
        let dataset = DifferentialDataset(seed: 20_261_125)
        let prometheus = try RealPrometheus.backfilled(openMetrics: dataset.openMetrics)
        defer { prometheus.stop() }

        // The binary here is Prometheus 2.42, so the engine answers by Prometheus 2's rules.
        let engine = PromQLEngine(store: dataset.store, semantics: .prometheus2)
        let queries = Self.queries + Self.wholeLanguageQueries
        let cases = queries.flatMap { query in dataset.evaluationTimes.map { (query: query, time: $0) } }
        let answers = try prometheus.instantQueries(cases)
        XCTAssertEqual(answers.count, cases.count)

        var tally = Tally()
        for (entry, answer) in zip(cases, answers) {
            tally.compare(answer, "\(entry.query) at \(entry.time)", expectSuccess: !Self.wholeLanguageQueries.contains(entry.query)) {
                try engine.evaluate(entry.query, at: entry.time)
            }
        }
        let ranges = Self.rangeQueries.map { query, from, to, step in
            (query: query, start: dataset.start + from * 60_000, end: dataset.start + to * 60_000, step: step * 1000)
        }
        let rangeAnswers = try prometheus.rangeQueries(ranges)
        for (entry, answer) in zip(ranges, rangeAnswers) {
            tally.compare(answer, "range \(entry.query) from \(entry.start) to \(entry.end) step \(entry.step)", expectSuccess: true) {
                try engine.evaluateRange(entry.query, start: entry.start, end: entry.end, step: entry.step)
            }
        }
        XCTAssertGreaterThan(tally.values, 5_000, "the dataset should give the queries plenty to compare")
        XCTAssertGreaterThan(tally.bothRefused, 100, "the error cases should be refused by both")
        print("PromQL differential: \(queries.count) queries at \(dataset.evaluationTimes.count) times and \(ranges.count) range queries; \(tally.values) values compared, \(tally.bothRefused) refused by both, largest difference \(tally.largest)")
    }
}

/// Running totals of a differential comparison.
private struct Tally {
    var values = 0
    var bothRefused = 0
    var largest = 0.0

    /// Compares Prometheus's `answer` with the engine's, failing the test on any difference in
    /// shape, labels, values (beyond 1e-9 relative), or in whether the query was refused.
    mutating func compare(_ answer: Any, _ context: String, expectSuccess: Bool, _ ours: () throws -> PromQLValue) {
        guard let response = answer as? [String: Any] else { return XCTFail("no JSON for \(context)") }
        let theirsFailed = response["status"] as? String != "success"
        let result = Result { try ours() }
        switch (theirsFailed, result) {
        case (true, .failure):
            bothRefused += 1
        case (true, .success(let value)):
            XCTFail("\(context): Prometheus refused it (\(response["error"] ?? "")), the engine answered \(value)")
        case (false, .failure(let error)):
            XCTFail("\(context): the engine refused it (\(error)), Prometheus answered \(response["data"] ?? "")")
        case (false, .success(let value)):
            guard let data = response["data"] as? [String: Any], let theirs = try? PrometheusAnswer(data) else {
                return XCTFail("\(context): unreadable answer \(response)")
            }
            guard let difference = theirs.difference(from: value) else {
                return XCTFail("\(context): Prometheus answered \(theirs), the engine \(value)")
            }
            largest = max(largest, difference.largest)
            values += difference.count
            XCTAssertLessThanOrEqual(difference.largest, 1e-9, context)
        }
        if expectSuccess, theirsFailed { XCTFail("\(context): Prometheus refused a query meant to succeed: \(response)") }
    }
}

/// What Prometheus's `/api/v1/query` answered, read from its JSON.
private enum PrometheusAnswer: CustomStringConvertible {
    case scalar(Double)
    case vector([LabelSet: Double])
    case matrix([LabelSet: [(Int64, Double)]])

    init(_ data: [String: Any]) throws {
        func number(_ pair: Any?) -> Double {
            guard let pair = pair as? [Any], pair.count == 2, let text = pair[1] as? String else { return .nan }
            return Double(text) ?? .nan
        }
        switch data["resultType"] as? String {
        case "scalar":
            self = .scalar(number(data["result"]))
        case "vector":
            var elements: [LabelSet: Double] = [:]
            for item in data["result"] as? [[String: Any]] ?? [] {
                elements[LabelSet(item["metric"] as? [String: String] ?? [:])] = number(item["value"])
            }
            self = .vector(elements)
        case "matrix":
            var series: [LabelSet: [(Int64, Double)]] = [:]
            for item in data["result"] as? [[String: Any]] ?? [] {
                let points = (item["values"] as? [[Any]] ?? []).map { pair -> (Int64, Double) in
                    let seconds = (pair[0] as? NSNumber)?.doubleValue ?? .nan
                    return (Int64((seconds * 1000).rounded()), Double(pair[1] as? String ?? "") ?? .nan)
                }
                series[LabelSet(item["metric"] as? [String: String] ?? [:])] = points
            }
            self = .matrix(series)
        default:
            throw CocoaError(.coderReadCorrupt)
        }
    }

    /// The largest relative difference from `value` and the number of values compared,
    /// or nil when the shapes or label sets differ.
    func difference(from value: PromQLValue) -> (largest: Double, count: Int)? {
        switch (self, value) {
        case (.scalar(let theirs), .scalar(let ours)):
            return (relativeDifference(theirs, ours), 1)
        case (.vector(let theirs), .vector(let ours)):
            guard Set(theirs.keys) == Set(ours.map(\.labels)), theirs.count == ours.count else { return nil }
            let largest = ours.map { relativeDifference(theirs[$0.labels]!, $0.value) }.max() ?? 0
            return (largest, max(ours.count, 1))
        case (.matrix(let theirs), .matrix(let ours)):
            guard Set(theirs.keys) == Set(ours.map(\.labels)), theirs.count == ours.count else { return nil }
            var largest = 0.0, count = 0
            for series in ours {
                let points = theirs[series.labels]!
                guard points.count == series.samples.count, zip(points, series.samples).allSatisfy({ $0.0 == $1.timestamp }) else { return nil }
                for (point, sample) in zip(points, series.samples) { largest = max(largest, relativeDifference(point.1, sample.value)) }
                count += points.count
            }
            return (largest, max(count, 1))
        default:
            return nil
        }
    }

    /// How far apart two answers are: relative to the larger, or absolute near zero (where
    /// summing in another order leaves a residue of 1e-15 instead of 0).
    private func relativeDifference(_ a: Double, _ b: Double) -> Double {
        if a.isNaN && b.isNaN || a == b { return 0 }
        if a.isNaN || b.isNaN || a.isInfinite || b.isInfinite { return .infinity }
        return abs(a - b) / max(abs(a), abs(b), 1e-6)
    }

    var description: String {
        switch self {
        case .scalar(let value): "scalar \(value)"
        case .vector(let elements): "\(elements.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" })"
        case .matrix(let series): "\(series.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.map { "\($0.1)@\($0.0)" })" })"
        }
    }
}

/// Generated samples: the same data as an OpenMetrics file and in a `SeriesStore`.
struct DifferentialDataset {
    let store = SeriesStore()
    private(set) var openMetrics = ""
    let evaluationTimes: [Int64]
    /// The first millisecond of the data.
    let start: Int64

    init(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        // An hour of data ending two hours ago, on whole seconds plus multiples of 125 ms,
        // which both sides read back as exactly the same millisecond.
        let end = (Int64(Date().timeIntervalSince1970) / 60 - 120) * 60_000
        let start = end - 3_600_000
        self.start = start
        evaluationTimes = [start + 30_000, start + 240_000, start + 1_234_500, start + 1_800_000, start + 2_412_375, end - 1_000, end + 180_000, end + 360_000]
        var families: [(name: String, type: String, series: [(LabelSet, [(Int64, Double)])])] = []

        func timestamps(gap: Bool) -> [Int64] {
            var times: [Int64] = []
            var time = start + Int64(random.next(below: 8)) * 125
            while time <= end {
                times.append(time)
                time += 10_000 + Int64(random.next(below: 80)) * 125
                if gap, time > start + 1_500_000, time < start + 1_520_000 { time += 420_000 }
            }
            return times
        }

        var requests: [(LabelSet, [(Int64, Double)])] = []
        for instance in ["i1", "i2", "i3"] {
            for code in ["200", "500"] {
                var value = Double(random.next(below: 100))
                let samples = timestamps(gap: instance == "i2").map { time -> (Int64, Double) in
                    if random.next(below: 40) == 0 { value = Double(random.next(below: 3)) }
                    value += code == "200" ? Double(random.next(below: 30)) : Double(random.next(below: 4)) * 0.5
                    return (time, value)
                }
                requests.append((LabelSet(name: "dt_requests_total", ["instance": instance, "code": code]), samples))
            }
        }
        families.append(("dt_requests", "counter", requests))

        var queue: [(LabelSet, [(Int64, Double)])] = []
        for instance in ["i1", "i2", "i3"] {
            var value = 0.0
            let samples = timestamps(gap: instance == "i3").map { time -> (Int64, Double) in
                value += Double(Int(random.next(below: 7)) - 3)
                return (time, value)
            }
            queue.append((LabelSet(name: "dt_queue_length", ["instance": instance]), samples))
        }
        families.append(("dt_queue_length", "gauge", queue))

        let bounds = ["0.05", "0.1", "0.25", "0.5", "1", "+Inf"]
        var buckets: [(LabelSet, [(Int64, Double)])] = []
        var sums: [(LabelSet, [(Int64, Double)])] = []
        var counts: [(LabelSet, [(Int64, Double)])] = []
        for instance in ["i1", "i2"] {
            var cumulative = [Double](repeating: 0, count: bounds.count)
            var sum = 0.0
            var series = [[(Int64, Double)]](repeating: [], count: bounds.count)
            var sumSamples: [(Int64, Double)] = [], countSamples: [(Int64, Double)] = []
            for time in timestamps(gap: false) {
                if instance == "i2", random.next(below: 60) == 0 {
                    cumulative = cumulative.map { _ in 0 }
                    sum = 0
                }
                for _ in 0..<random.next(below: 12) {
                    let observation = Double(random.next(below: 1_500)) / 1_000
                    sum += observation
                    let first = [0.05, 0.1, 0.25, 0.5, 1].firstIndex { observation <= $0 } ?? bounds.count - 1
                    for index in first..<bounds.count { cumulative[index] += 1 }
                }
                for index in bounds.indices { series[index].append((time, cumulative[index])) }
                sumSamples.append((time, sum))
                countSamples.append((time, cumulative[bounds.count - 1]))
            }
            for (index, bound) in bounds.enumerated() {
                buckets.append((LabelSet(name: "dt_latency_seconds_bucket", ["instance": instance, "le": bound]), series[index]))
            }
            sums.append((LabelSet(name: "dt_latency_seconds_sum", ["instance": instance]), sumSamples))
            counts.append((LabelSet(name: "dt_latency_seconds_count", ["instance": instance]), countSamples))
        }
        // Each histogram series is its own gauge family in the file: backfilling needs no more.
        families.append(("dt_latency_seconds_bucket", "gauge", buckets))
        families.append(("dt_latency_seconds_sum", "gauge", sums))
        families.append(("dt_latency_seconds_count", "gauge", counts))

        // For the whole language: two metrics with the same labels (whatever drops the name
        // must then refuse), histograms whose buckets fall or lack +Inf, two histograms alike
        // but for their names, label values to rewrite, a constant.
        let everyMinute = stride(from: start, through: end, by: 60_000).map { $0 }
        func series(_ name: String, _ labels: [String: String], _ value: (Int) -> Double) -> (LabelSet, [(Int64, Double)]) {
            (LabelSet(name: name, labels), everyMinute.enumerated().map { ($1, value($0)) })
        }
        families.append(("dt_dup_a", "gauge", [series("dt_dup_a", ["instance": "i1"]) { Double($0) }]))
        families.append(("dt_dup_b", "gauge", [series("dt_dup_b", ["instance": "i1"]) { Double($0 * 2) }]))
        families.append(("dt_nm_bucket", "gauge", zip(["0.1", "0.5", "1", "2", "+Inf"], [5.0, 3, 8, 7, 10]).map { bound, count in
            series("dt_nm_bucket", ["le": bound]) { count + Double($0 / 10) }
        }))
        families.append(("dt_noinf_bucket", "gauge", zip(["0.1", "1"], [2.0, 4]).map { bound, count in series("dt_noinf_bucket", ["le": bound]) { _ in count } }))
        for name in ["dt_h1_bucket", "dt_h2_bucket"] {
            families.append((name, "gauge", zip(["0.5", "1", "+Inf"], [1.0, 3, 4]).map { bound, count in series(name, ["le": bound]) { count * Double($0 + 1) } }))
        }
        families.append(("dt_labels", "gauge", [
            series("dt_labels", ["host": "web-1.example", "path": "/api/v1/users"]) { _ in 1 },
            series("dt_labels", ["host": "db-22", "path": "/health"]) { _ in 2 },
        ]))
        families.append(("dt_labels_by_instance", "gauge", ["i1", "i2", "i3"].map { instance in
            series("dt_labels_by_instance", ["instance": instance, "extra": "x-" + instance]) { _ in 1 }
        }))
        families.append(("dt_constant", "gauge", [series("dt_constant", ["instance": "i1"]) { _ in 4 }]))

        var text = ""
        for family in families {
            text += "# TYPE \(family.name) \(family.type)\n"
            for (labels, samples) in family.series {
                let labelText = labels.labels.filter { $0.name != LabelSet.metricNameLabel }
                    .map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",")
                for (time, value) in samples {
                    store.append(labels, timestamp: time, value: value)
                    let seconds = "\(time / 1000).\(String(format: "%03d", time % 1000))"
                    text += "\(labels.metricName){\(labelText)} \(formatSampleValue(value, for: .openmetrics)) \(seconds)\n"
                }
            }
        }
        openMetrics = text + "# EOF\n"
    }
}
