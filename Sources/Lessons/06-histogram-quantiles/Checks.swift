import Foundation
import Instrumentation
import TimeSeries
import PromQL
import WorkbookKit

/// The checks of lesson 6, run against the exercise or the solution.
///
/// Interpolation is floating-point arithmetic, and the same formula written in another order
/// can differ in the last bit, so answers are compared rounded to 9 decimal places.
public enum HistogramQuantilesChecks {
    /// The signature of `quantile`: q, the finite bounds and the cumulative counts (the last is +Inf) in, the estimate out.
    public typealias Quantile = @Sendable (Double, [Double], [Double]) throws -> Double

    /// The finite bounds of the example histogram.
    private static let bounds: [Double] = [0.1, 0.2, 1]
    /// The example's cumulative counts: le="0.1" 50, le="0.2" 70, le="1" 110, le="+Inf" 120.
    private static let counts: [Double] = [50, 70, 110, 120]

    /// Every check of the lesson, bound to one implementation of `quantile`.
    static func checks(_ quantile: @escaping Quantile) -> [Check] {
        [
            Check("a rank in the lowest bucket interpolates up from 0: q=0.2 gives 0.048 (to 9 decimals)") {
                try expectEqual(shown(try quantile(0.2, bounds, counts)), "0.048")
            },
            Check("a rank in a higher bucket interpolates up from the bound below: q=0.5 gives 0.15, q=0.8 gives 0.72") {
                try expectEqual(shown(try quantile(0.5, bounds, counts)), "0.15")
                try expectEqual(shown(try quantile(0.8, bounds, counts)), "0.72")
            },
            Check("a rank in the +Inf bucket gives the highest finite bound: q=0.95 gives 1") {
                try expectEqual(shown(try quantile(0.95, bounds, counts)), "1")
            },
            Check("a rank equal to a bucket's count ends on that bucket's bound; q=0 gives 0 and q=1 the last bound reached") {
                let bounds: [Double] = [0.25, 0.5, 1], counts: [Double] = [25, 50, 100, 100]
                try expectEqual(shown(try quantile(0.5, bounds, counts)), "0.5")
                try expectEqual(shown(try quantile(0, bounds, counts)), "0")
                try expectEqual(shown(try quantile(1, bounds, counts)), "1")
            },
            Check("empty buckets are passed over: the rank lands in the first bucket whose count reaches it") {
                let bounds: [Double] = [0.1, 0.2, 0.4, 0.8], counts: [Double] = [0, 0, 10, 10, 10]
                try expectEqual(shown(try quantile(0.5, bounds, counts)), "0.3")
                try expectEqual(shown(try quantile(0.9, bounds, counts)), "0.38")
            },
            Check("q below 0 gives -Inf, q above 1 gives +Inf, q NaN gives NaN") {
                try expectEqual(shown(try quantile(-0.5, bounds, counts)), "-Inf")
                try expectEqual(shown(try quantile(1.5, bounds, counts)), "+Inf")
                try expectEqual(shown(try quantile(.nan, bounds, counts)), "NaN")
            },
            Check("no observations give NaN") {
                try expectEqual(shown(try quantile(0.5, bounds, [0, 0, 0, 0])), "NaN")
            },
            Check("agrees with the engine's histogram_quantile on 2,000 seeded latencies (to 9 decimals)") {
                let (snapshot, engine, time) = try seededHistogramInAStore()
                for q in [0.1, 0.5, 0.75, 0.9, 0.99, 0.999] {
                    let query = "histogram_quantile(\(q), check_duration_seconds_bucket)"
                    guard case .vector(let answer) = try engine.evaluate(query, at: time), let expected = answer.first?.value else {
                        throw CheckFailure(expected: "one value from \(query)", found: "none")
                    }
                    let counts = snapshot.cumulativeCounts.map(Double.init)
                    try expectEqual("q=\(q): " + shown(try quantile(q, snapshot.upperBounds, counts)), "q=\(q): " + shown(expected))
                }
            },
        ]
    }

    /// A value as the checks compare it: rounded to 9 decimal places, written as an exposition writes it.
    private static func shown(_ value: Double) -> String {
        guard value.isFinite else { return formatSampleValue(value, for: .prometheus) }
        return formatSampleValue((value * 1e9).rounded() / 1e9, for: .prometheus)
    }

    /// A histogram of seeded latencies from the demo's slower instance, scraped once into a store.
    private static func seededHistogramInAStore() throws -> (HistogramSnapshot, PromQLEngine, Int64) {
        let registry = Registry(clock: ManualClock(1_700_000_000))
        let histogram = try registry.makeHistogram(
            name: "check_duration_seconds", help: "Latencies for the check.", buckets: HistogramQuantilesDemo.bounds)
        var random = SeededRandom(seed: 6)
        for _ in 0..<2000 { histogram.observe(HistogramQuantilesDemo.latency(of: .slower, &random)) }
        let store = SeriesStore()
        let time: Int64 = 1_700_000_000_000
        store.ingest(registry.collect(), at: time, labels: ["job": "check", "instance": "b:8080"])
        return (histogram.snapshot, PromQLEngine(store: store), time)
    }
}
