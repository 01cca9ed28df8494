import Foundation
import Instrumentation
import TimeSeries
import PromQL
import WorkbookKit

/// The checks of lesson 6, run against the exercise or the solution.
///
/// Interpolation is floating-point arithmetic, and the same formula written in another order
/// can differ in the last bits, so the named checks compare answers rounded to 9 decimal
/// places and the generated one within a relative error of 1e-9: any correct order of the
/// arithmetic passes, a wrong formula does not.
///
/// Edge classes generated:
/// - q exactly 0 and 1, q between Float and Double precision (0.9 + 1e-12), q below 0,
///   above 1, NaN, and q = a bucket's count / the total, so the rank lands exactly on a
///   bucket's count (and, rounded, a hair beside it);
/// - empty buckets (repeated counts), among them an empty lowest bucket with q = 0 (0/0: NaN);
/// - ranks in the `+Inf` bucket;
/// - no observations (every count 0), with q inside and outside [0, 1];
/// - a single finite bound;
/// - bounds not exact in binary (0.1, 0.3, 0.1 + 0.2), tiny and huge bounds;
/// - counts that are not whole numbers (rates per second), tiny and huge counts.
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
                try expectQuantile(quantile, 0.2, bounds, counts, "0.048")
            },
            Check("a rank in a higher bucket interpolates up from the bound below: q=0.5 gives 0.15, q=0.8 gives 0.72") {
                try expectQuantile(quantile, 0.5, bounds, counts, "0.15")
                try expectQuantile(quantile, 0.8, bounds, counts, "0.72")
            },
            Check("a rank in the +Inf bucket gives the highest finite bound: q=0.95 gives 1") {
                try expectQuantile(quantile, 0.95, bounds, counts, "1")
            },
            Check("a rank equal to a bucket's count ends on that bucket's bound; q=0 gives 0 and q=1 the last bound reached") {
                let bounds: [Double] = [0.25, 0.5, 1], counts: [Double] = [25, 50, 100, 100]
                try expectQuantile(quantile, 0.5, bounds, counts, "0.5")
                try expectQuantile(quantile, 0, bounds, counts, "0")
                try expectQuantile(quantile, 1, bounds, counts, "1")
            },
            Check("empty buckets are passed over: the rank lands in the first bucket whose count reaches it") {
                let bounds: [Double] = [0.1, 0.2, 0.4, 0.8], counts: [Double] = [0, 0, 10, 10, 10]
                try expectQuantile(quantile, 0.5, bounds, counts, "0.3")
                try expectQuantile(quantile, 0.9, bounds, counts, "0.38")
            },
            Check("q below 0 gives -Inf, q above 1 gives +Inf, q NaN gives NaN") {
                try expectQuantile(quantile, -0.5, bounds, counts, "-Inf")
                try expectQuantile(quantile, 1.5, bounds, counts, "+Inf")
                try expectQuantile(quantile, .nan, bounds, counts, "NaN")
            },
            Check("no observations give NaN") {
                try expectQuantile(quantile, 0.5, bounds, [0, 0, 0, 0], "NaN")
            },
            Check("agrees with the engine's histogram_quantile on 2,000 seeded latencies (to 9 decimals)") {
                let (snapshot, engine, time) = try seededHistogramInAStore()
                // The counts as numbers: Double(count), never Double(bitPattern: count).
                let counts = snapshot.cumulativeCounts.map { Double($0) }
                for q in [0.1, 0.5, 0.75, 0.9, 0.99, 0.999] {
                    let query = "histogram_quantile(\(q), check_duration_seconds_bucket)"
                    guard case .vector(let answer) = try engine.evaluate(query, at: time), let expected = answer.first?.value else {
                        throw CheckFailure(expected: "one value from \(query)", found: "none")
                    }
                    try expectQuantile(quantile, q, snapshot.upperBounds, counts, shown(expected))
                }
            },
            Check.generated(
                "agrees with the reference on 2,000 generated histograms and q (within a relative 1e-9)",
                generate: QuantileInput.generate, shrink: QuantileInput.shrink, describe: { $0.description },
                subject: { Estimate(value: try quantile($0.q, $0.upperBounds, $0.cumulativeCounts)) },
                reference: { Estimate(value: try solutionQuantile($0.q, upperBounds: $0.upperBounds, cumulativeCounts: $0.cumulativeCounts)) }
            ),
        ]
    }

    /// An estimate as the generated check compares it: equal within a relative error of 1e-9,
    /// or both NaN, or the same infinity.
    struct Estimate: Equatable, Sendable, CustomStringConvertible {
        let value: Double

        static func == (left: Self, right: Self) -> Bool {
            if left.value.isNaN || right.value.isNaN { return left.value.isNaN && right.value.isNaN }
            if left.value == right.value { return true }
            guard left.value.isFinite, right.value.isFinite else { return false }
            return abs(left.value - right.value) <= 1e-9 * max(abs(left.value), abs(right.value))
        }

        var description: String { formatSampleValue(value, for: .prometheus) }
    }

    /// Fails, naming q, the bounds and the counts, unless `quantile` gives `expected` to 9 decimals.
    private static func expectQuantile(_ quantile: Quantile, _ q: Double, _ bounds: [Double], _ counts: [Double], _ expected: String) throws {
        let found = shown(try quantile(q, bounds, counts))
        guard found != expected else { return }
        let input = QuantileInput(q: q, upperBounds: bounds, cumulativeCounts: counts)
        throw CheckFailure(expected: expected, found: found, input: input.description)
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

/// One generated input of `quantile`: q, positive strictly increasing bounds, and
/// non-decreasing cumulative counts, one per bound and one for `+Inf`.
struct QuantileInput: Sendable, CustomStringConvertible {
    let q: Double
    let upperBounds: [Double]
    let cumulativeCounts: [Double]

    var description: String {
        func list(_ values: [Double]) -> String { "[" + values.map { formatSampleValue($0, for: .prometheus) }.joined(separator: ", ") + "]" }
        return "q: \(formatSampleValue(q, for: .prometheus)), upperBounds: \(list(upperBounds)), cumulativeCounts: \(list(cumulativeCounts))"
    }

    /// Half plain histograms and q, half edge classes.
    @Sendable static func generate(_ random: inout SeededRandom) -> QuantileInput {
        let bounds = makeBounds(&random)
        let counts = makeCounts(buckets: bounds.count + 1, &random)
        return QuantileInput(q: makeQ(counts, &random), upperBounds: bounds, cumulativeCounts: counts)
    }

    /// Smaller inputs: a bucket fewer (its bound and its count), simpler counts, a simpler q.
    @Sendable static func shrink(_ input: QuantileInput) -> [QuantileInput] {
        var smaller: [QuantileInput] = []
        if input.upperBounds.count > 1 {
            for index in input.upperBounds.indices {
                var bounds = input.upperBounds, counts = input.cumulativeCounts
                bounds.remove(at: index)
                counts.remove(at: index)
                smaller.append(QuantileInput(q: input.q, upperBounds: bounds, cumulativeCounts: counts))
            }
        }
        let rounded = input.cumulativeCounts.map { $0.rounded(.up) }
        if rounded != input.cumulativeCounts {
            smaller.append(QuantileInput(q: input.q, upperBounds: input.upperBounds, cumulativeCounts: rounded))
        }
        for simpler in [0.5, 0, 1] where input.q != simpler && input.q.isFinite {
            smaller.append(QuantileInput(q: simpler, upperBounds: input.upperBounds, cumulativeCounts: input.cumulativeCounts))
        }
        return smaller
    }

    private static func makeBounds(_ random: inout SeededRandom) -> [Double] {
        switch random.next(below: 10) {
        case 0: return [[0.1, 0.3, 1, 0.25][Int(random.next(below: 4))]]
        case 1: return [0.1, 0.1 + 0.2, 0.7, 1.1]
        case 2: return [1e-9, 1e-6, 1e-3]
        case 3: return [1e3, 1e6, 1e9]
        case 4:
            var bound = 0.0, bounds: [Double] = []
            for _ in 0..<(2 + random.next(below: 8)) { bound += 0.1; bounds.append(bound) }
            return bounds
        case 5: return Buckets.defaults
        default: return HistogramQuantilesDemo.bounds
        }
    }

    /// Cumulative counts: whole numbers or rates, with empty buckets now and then, sometimes all zero.
    private static func makeCounts(buckets: Int, _ random: inout SeededRandom) -> [Double] {
        if random.next(below: 12) == 0 { return Array(repeating: 0, count: buckets) }
        let scale: Double
        switch random.next(below: 8) {
        case 0: scale = 1.0 / 60 // a rate per second over a minute
        case 1: scale = 1e-7
        case 2: scale = 1e12
        case 3: scale = 0.1
        default: scale = 1
        }
        var running = 0.0
        return (0..<buckets).map { _ in
            // Empty buckets often: the rank must pass over them.
            if random.next(below: 3) != 0 { running += Double(random.next(below: 50)) * scale }
            return running
        }
    }

    private static func makeQ(_ counts: [Double], _ random: inout SeededRandom) -> Double {
        if random.next(below: 2) == 0 { return random.unit() }
        let total = counts.last ?? 0
        let bucket = counts[Int(random.next(below: UInt64(counts.count)))]
        switch random.next(below: 12) {
        case 0: return 0
        case 1: return 1
        case 2: return .nan
        case 3: return [-0.5, -1e-9, -.infinity][Int(random.next(below: 3))]
        case 4: return [1.5, 1 + 1e-9, .infinity, 90][Int(random.next(below: 4))]
        case 5: return 0.9 + 1e-12
        case 6: return Double(Float(random.unit()))
        case 7: return total > 0 ? (bucket / total).nextUp : 0.5
        case 8: return total > 0 ? (bucket / total).nextDown : 0.5
        default: return total > 0 ? bucket / total : 0.5
        }
    }
}
