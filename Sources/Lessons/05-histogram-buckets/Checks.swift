import Instrumentation
import WorkbookKit

/// The checks of lesson 5, run against the exercise or the solution.
///
/// The named checks teach one case each. The generated check then compares the exercise
/// with the reference solution on 2,000 seeded inputs, half of them plain latencies and
/// half drawn from the lesson's edge classes.
///
/// Edge classes generated:
/// - observations exactly on a bound (`le` is inclusive), and one ulp above and below it;
/// - bounds not exact in binary (0.1, 0.3, 0.1 + 0.2) and values between Float and Double
///   precision (`Double(Float(0.1))` next to the bound 0.1);
/// - NaN, +Inf and -Inf observations, zero, -0.0 and negative values;
/// - negative and zero bounds;
/// - no observations, no finite bounds (only `+Inf`), a single bound;
/// - many observations (up to 3,000), so counts run into the thousands;
/// - observations in any order, repeated values.
public enum HistogramBucketsChecks {
    /// The signature of `cumulativeBucketCounts`: bounds and observations in, one count per bucket out.
    public typealias Count = @Sendable ([Double], [Double]) throws -> [UInt64]

    /// Every check of the lesson, bound to one implementation of `cumulativeBucketCounts`.
    static func checks(_ count: @escaping Count) -> [Check] {
        [
            Check("one count per bound, then one for the +Inf bucket") {
                try expectCounts(count, [0.1, 0.5, 1], [], [0, 0, 0, 0])
            },
            Check("one observation counts in its bucket and in every bucket above it (cumulative)") {
                try expectCounts(count, [0.1, 0.5, 1], [0.3], [0, 1, 1, 1])
            },
            Check("each bucket counts every observation at or below its bound") {
                try expectCounts(count, [0.05, 0.1, 0.25, 0.5, 1], [0.042, 0.12, 0.087, 0.3, 0.75, 0.031, 0.2], [2, 3, 5, 6, 7, 7])
            },
            Check("a value exactly on a bound counts in that bucket (le is less than or equal)") {
                try expectCounts(count, [0.1, 0.25, 0.5], [0.25], [0, 1, 1, 1])
                try expectCounts(count, [0.1, 0.25, 0.5], [0.1, 0.5], [1, 1, 2, 2])
            },
            Check("a value above the last bound counts only in +Inf") {
                try expectCounts(count, [0.1, 0.5, 1], [0.2, 7.5], [0, 1, 1, 2])
            },
            Check("NaN counts only in +Inf, as the Go client and this engine count it") {
                try expectCounts(count, [0.1, 0.5, 1], [.nan, 0.05], [1, 1, 1, 2])
            },
            Check("+Inf counts only in +Inf, -Inf in every bucket") {
                try expectCounts(count, [0.1, 0.5, 1], [.infinity, -.infinity], [1, 1, 1, 2])
            },
            Check("zero and negative values count in every bucket whose bound they do not exceed") {
                try expectCounts(count, [0, 1], [-2, 0, 0.5], [2, 3, 3])
            },
            Check("with no finite bounds there is one count, the +Inf bucket") {
                try expectCounts(count, [], [0.3, .nan, 12], [3])
            },
            Check("agrees with the engine's Histogram on 1,000 seeded latencies with Buckets.defaults") {
                let latencies = seededLatencies(1000)
                let histogram = try Registry().makeHistogram(name: "check_duration_seconds", help: "Latencies for the check.")
                for latency in latencies { histogram.observe(latency) }
                let found = BucketCounts(upperBounds: Buckets.defaults, counts: try count(Buckets.defaults, latencies))
                let expected = BucketCounts(upperBounds: Buckets.defaults, counts: histogram.snapshot.cumulativeCounts)
                try expectEqual(found, expected, input: "upperBounds: Buckets.defaults, observations: 1,000 seeded latencies")
            },
            Check.generated(
                "agrees with the reference on 2,000 generated bounds and observations (edge cases included)",
                generate: BucketsInput.generate, shrink: BucketsInput.shrink, describe: { $0.description },
                subject: { BucketCounts(upperBounds: $0.upperBounds, counts: try count($0.upperBounds, $0.observations)) },
                reference: { BucketCounts(upperBounds: $0.upperBounds, counts: try solutionCumulativeBucketCounts(upperBounds: $0.upperBounds, observations: $0.observations)) }
            ),
        ]
    }

    /// Fails, naming the bounds and the observations, unless `count` gives `expected`.
    private static func expectCounts(_ count: Count, _ bounds: [Double], _ observations: [Double], _ expected: [UInt64]) throws {
        let input = BucketsInput(upperBounds: bounds, observations: observations)
        try expectEqual(BucketCounts(upperBounds: bounds, counts: try count(bounds, observations)),
                        BucketCounts(upperBounds: bounds, counts: expected), input: input.description)
    }

    /// The same latencies on every run: the demo's traffic, from a fixed seed.
    private static func seededLatencies(_ number: Int) -> [Double] {
        var random = SeededRandom(seed: 5)
        return (0..<number).map { _ in HistogramBucketsDemo.requestLatency(&random) }
    }
}

/// Counts as a failure shows them: each next to its `le`, so a wrong bucket is easy to find.
struct BucketCounts: Equatable, Sendable, CustomStringConvertible {
    let upperBounds: [Double]
    let counts: [UInt64]

    static func == (left: Self, right: Self) -> Bool { left.counts == right.counts }

    var description: String {
        let labels = (upperBounds + [.infinity]).map { "le=\"\(formatSampleValue($0, for: .prometheus))\"" }
        var parts = zip(labels, counts).map { "\($0) \($1)" }
        if counts.count > labels.count { parts += counts.dropFirst(labels.count).map { "(extra) \($0)" } }
        let shape = counts.count == labels.count ? "" : "  (\(counts.count) counts for \(labels.count) buckets)"
        return "[" + parts.joined(separator: ", ") + "]" + shape
    }
}

/// One generated input: finite bounds, strictly increasing, and observations.
struct BucketsInput: Sendable, CustomStringConvertible {
    let upperBounds: [Double]
    let observations: [Double]

    var description: String {
        "upperBounds: " + Self.list(upperBounds) + ", observations: " + Self.list(observations)
    }

    /// Numbers as the exposition writes them (NaN, +Inf, the shortest decimal that reads back exactly).
    private static func list(_ values: [Double]) -> String {
        guard values.count <= 40 else {
            return "[" + values.prefix(40).map { formatSampleValue($0, for: .prometheus) }.joined(separator: ", ") + ", … \(values.count) values]"
        }
        return "[" + values.map { formatSampleValue($0, for: .prometheus) }.joined(separator: ", ") + "]"
    }

    /// Half plain latencies into plain bounds, half edge classes.
    @Sendable static func generate(_ random: inout SeededRandom) -> BucketsInput {
        let bounds = makeBounds(&random)
        let number: Int
        switch random.next(below: 40) {
        case 0...3: number = 0
        case 4: number = 500 + Int(random.next(below: 2500))
        default: number = 1 + Int(random.next(below: 20))
        }
        let edgy = random.next(below: 2) == 0
        let observations = (0..<number).map { _ in edgy ? edgeValue(near: bounds, &random) : plainValue(&random) }
        return BucketsInput(upperBounds: bounds, observations: observations)
    }

    /// Smaller inputs: one observation or one bound fewer, or an observation simplified to a bound.
    @Sendable static func shrink(_ input: BucketsInput) -> [BucketsInput] {
        var smaller: [BucketsInput] = []
        if input.observations.count > 8 {
            smaller.append(BucketsInput(upperBounds: input.upperBounds, observations: Array(input.observations.prefix(input.observations.count / 2))))
            smaller.append(BucketsInput(upperBounds: input.upperBounds, observations: Array(input.observations.suffix(input.observations.count / 2))))
        }
        for index in input.observations.indices {
            var fewer = input.observations
            fewer.remove(at: index)
            smaller.append(BucketsInput(upperBounds: input.upperBounds, observations: fewer))
        }
        for index in input.upperBounds.indices {
            var fewer = input.upperBounds
            fewer.remove(at: index)
            smaller.append(BucketsInput(upperBounds: fewer, observations: input.observations))
        }
        return smaller
    }

    private static let plainLayouts: [[Double]] = [
        [0.05, 0.1, 0.25, 0.5, 1], Buckets.defaults, [0.1, 0.5, 1], [0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6],
    ]

    private static func makeBounds(_ random: inout SeededRandom) -> [Double] {
        switch random.next(below: 10) {
        case 0: return []
        case 1: return [[0.1, 0.3, 1, 0.25, 0][Int(random.next(below: 5))]]
        case 2:
            // Linear bounds added up step by step, as a learner might make them: 0.1, 0.2, 0.30000000000000004 …
            var bound = 0.0, bounds: [Double] = []
            for _ in 0..<(2 + random.next(below: 8)) { bound += 0.1; bounds.append(bound) }
            return bounds
        case 3: return [-1, -0.5, 0, 0.5, 1]
        case 4: return [0.1 + 0.2, 0.7, 1.1]
        case 5: return [1e-9, 1e-3, 1, 1e3, 1e9]
        default: return plainLayouts[Int(random.next(below: UInt64(plainLayouts.count)))]
        }
    }

    /// A latency as the demo makes them: about 60 ms, with a slow tail.
    private static func plainValue(_ random: inout SeededRandom) -> Double {
        HistogramBucketsDemo.requestLatency(&random)
    }

    /// A value from an edge class, many of them on or next to one of `bounds`.
    private static func edgeValue(near bounds: [Double], _ random: inout SeededRandom) -> Double {
        let bound = bounds.isEmpty ? 0.1 : bounds[Int(random.next(below: UInt64(bounds.count)))]
        switch random.next(below: 14) {
        case 0, 1, 2: return bound
        case 3: return bound.nextUp
        case 4: return bound.nextDown
        case 5: return Double(Float(bound))
        case 6: return .nan
        case 7: return .infinity
        case 8: return -.infinity
        case 9: return [0, -0.0][Int(random.next(below: 2))]
        case 10: return -random.exponential()
        case 11: return [0.1 + 0.2, 0.3, 0.1 * 3, 1.0 / 3][Int(random.next(below: 4))]
        case 12: return bound * (1 + 1e-9)
        default: return bound + random.exponential()
        }
    }
}
