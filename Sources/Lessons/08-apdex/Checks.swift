import Instrumentation
import TimeSeries
import PromQL
import WorkbookKit

/// The checks of lesson 8, run against the exercise or the solution.
///
/// Scores are compared rounded to 9 decimal places: the same formula written in another
/// order can differ in the last bit.
public enum ApdexChecks {
    /// The signature of `apdex`: bounds, cumulative counts (the last is +Inf) and T in, the score out.
    public typealias Apdex = @Sendable ([Double], [UInt64], Double) throws -> Double

    /// The bounds most checks use: T = 0.3 s and 4T = 1.2 s are among them.
    private static let bounds: [Double] = [0.1, 0.3, 0.6, 1.2, 2.5]

    /// Every check of the lesson, bound to one implementation of `apdex`.
    static func checks(_ apdex: @escaping Apdex) -> [Check] {
        [
            Check("every request within T scores 1") {
                try expectEqual(shown(try apdex(bounds, [7, 10, 10, 10, 10, 10], 0.3)), "1")
            },
            Check("every request slower than 4T scores 0: frustrated requests count nothing") {
                try expectEqual(shown(try apdex(bounds, [0, 0, 0, 0, 4, 10], 0.3)), "0")
            },
            Check("a tolerating request counts half: all of them between T and 4T scores 0.5") {
                try expectEqual(shown(try apdex(bounds, [0, 0, 6, 10, 10, 10], 0.3)), "0.5")
            },
            Check("60 satisfied, 30 tolerating and 10 frustrated score (60 + 30/2) / 100 = 0.75") {
                try expectEqual(shown(try apdex(bounds, [40, 60, 80, 90, 95, 100], 0.3)), "0.75")
            },
            Check("T and 4T are found wherever they are: T = 0.25 s with Buckets.defaults gives 0.65 (to 9 decimals)") {
                let counts: [UInt64] = [1, 2, 5, 10, 30, 50, 70, 80, 90, 95, 98, 100]
                try expectEqual(shown(try apdex(Buckets.defaults, counts, 0.25)), "0.65")
            },
            Check("no requests give NaN") {
                try expectEqual(shown(try apdex(bounds, [0, 0, 0, 0, 0, 0], 0.3)), "NaN")
            },
            Check("a T that is not a bucket bound throws ApdexThresholdError for T") {
                try expectThresholdError(apdex, bounds: bounds, target: 0.2, missing: 0.2)
            },
            Check("a 4T that is not a bucket bound throws ApdexThresholdError for 4T") {
                try expectThresholdError(apdex, bounds: [0.1, 0.3, 0.6, 2.5], target: 0.3, missing: 1.2)
            },
            Check("agrees with the Apdex query of the Prometheus docs on 3,000 seeded requests (to 9 decimals)") {
                let (counts, promQL) = try seededRequestsAndTheirPromQLScore()
                try expectEqual(shown(try apdex(ApdexDemo.bounds, counts, 0.3)), shown(promQL))
            },
        ]
    }

    /// Passes when `apdex` throws an `ApdexThresholdError` naming `missing`; fails on a score or another error.
    private static func expectThresholdError(_ apdex: Apdex, bounds: [Double], target: Double, missing: Double) throws {
        let counts = [UInt64](repeating: 10, count: bounds.count + 1)
        let expected = ApdexThresholdError(threshold: missing, upperBounds: bounds)
        do {
            let score = try apdex(bounds, counts, target)
            throw CheckFailure(expected: "ApdexThresholdError: \(expected)", found: "the score \(shown(score))")
        } catch let error as ApdexThresholdError {
            try expectEqual(error, expected)
        }
    }

    /// A value as the checks compare it: rounded to 9 decimal places, written as an exposition writes it.
    private static func shown(_ value: Double) -> String {
        guard value.isFinite else { return formatSampleValue(value, for: .prometheus) }
        return formatSampleValue((value * 1e9).rounded() / 1e9, for: .prometheus)
    }

    /// Five minutes of seeded requests, scraped at their start and end: the buckets they added,
    /// and the score the docs' query computes from the two scrapes.
    private static func seededRequestsAndTheirPromQLScore() throws -> ([UInt64], Double) {
        let registry = Registry(clock: ManualClock(1_700_000_000))
        let histogram = try ApdexDemo.latencyHistogram(in: registry)
        let store = SeriesStore()
        let start: Int64 = 1_700_000_000_000, end = start + 300_000
        store.ingest(registry.collect(), at: start, labels: ["job": "check", "instance": "check:8080"])
        var random = SeededRandom(seed: 8)
        for index in 0..<3000 { histogram.observe(ApdexDemo.latency(slow: index % 3 == 0, &random)) }
        store.ingest(registry.collect(), at: end, labels: ["job": "check", "instance": "check:8080"])
        guard case .vector(let answer) = try PromQLEngine(store: store).evaluate(ApdexDemo.docsQuery, at: end), let score = answer.first?.value else {
            throw CheckFailure(expected: "one score from \(ApdexDemo.docsQuery)", found: "none")
        }
        return (histogram.snapshot.cumulativeCounts, score)
    }
}
