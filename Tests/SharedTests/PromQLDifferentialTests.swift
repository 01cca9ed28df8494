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

    func testTheSubsetAnswersLikePrometheus() throws {
        let dataset = DifferentialDataset(seed: 20_261_125)
        let folder = NSTemporaryDirectory() + "promql-differential-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try dataset.openMetrics.write(toFile: folder + "/data.om", atomically: true, encoding: .utf8)
        let backfill = try runProcess(try RealTools.promtool(), ["tsdb", "create-blocks-from", "openmetrics", folder + "/data.om", folder + "/blocks"])
        XCTAssertEqual(backfill.status, 0, backfill.stderr)

        let prometheus = try RealPrometheus(
            config: "global:\n  evaluation_interval: 1m\n", storage: folder + "/blocks",
            extraArguments: ["--storage.tsdb.retention.time=100y"])
        defer { prometheus.stop() }

        // The binary here is Prometheus 2.42, so the engine answers by Prometheus 2's rules.
        let engine = PromQLEngine(store: dataset.store, semantics: .prometheus2)
        let cases = Self.queries.flatMap { query in dataset.evaluationTimes.map { (query: query, time: $0) } }
        let answers = try prometheus.instantQueries(cases)
        XCTAssertEqual(answers.count, cases.count)

        var largestDifference = 0.0
        var comparedValues = 0
        for (entry, answer) in zip(cases, answers) {
            let context = "\(entry.query) at \(entry.time)"
            guard let response = answer as? [String: Any], response["status"] as? String == "success",
                  let data = response["data"] as? [String: Any]
            else {
                XCTFail("Prometheus refused \(context): \(answer)")
                continue
            }
            let ours: PromQLValue
            do {
                ours = try engine.evaluate(entry.query, at: entry.time)
            } catch {
                XCTFail("the subset failed on \(context): \(error)")
                continue
            }
            let theirs = try PrometheusAnswer(data)
            guard let difference = theirs.difference(from: ours) else {
                XCTFail("\(context): Prometheus answered \(theirs), the subset \(ours)")
                continue
            }
            largestDifference = max(largestDifference, difference.largest)
            comparedValues += difference.count
            XCTAssertLessThanOrEqual(difference.largest, 1e-9, context)
        }
        XCTAssertGreaterThan(comparedValues, 1_000, "the dataset should give the queries plenty to compare")
        print("PromQL differential: \(Self.queries.count) queries at \(dataset.evaluationTimes.count) times, \(comparedValues) values compared, largest relative difference \(largestDifference)")
    }
}

/// What Prometheus's `/api/v1/query` answered, read from its JSON.
private enum PrometheusAnswer: CustomStringConvertible {
    case scalar(Double)
    case vector([LabelSet: Double])

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
        default:
            return nil
        }
    }

    private func relativeDifference(_ a: Double, _ b: Double) -> Double {
        if a.isNaN && b.isNaN || a == b { return 0 }
        if a.isNaN || b.isNaN || a.isInfinite || b.isInfinite { return .infinity }
        return abs(a - b) / max(abs(a), abs(b))
    }

    var description: String {
        switch self {
        case .scalar(let value): "scalar \(value)"
        case .vector(let elements): "\(elements.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" })"
        }
    }
}

/// Generated samples: the same data as an OpenMetrics file and in a `SeriesStore`.
struct DifferentialDataset {
    let store = SeriesStore()
    private(set) var openMetrics = ""
    let evaluationTimes: [Int64]

    init(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        // An hour of data ending two hours ago, on whole seconds plus multiples of 125 ms,
        // which both sides read back as exactly the same millisecond.
        let end = (Int64(Date().timeIntervalSince1970) / 60 - 120) * 60_000
        let start = end - 3_600_000
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
