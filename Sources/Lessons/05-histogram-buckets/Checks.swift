import Instrumentation
import WorkbookKit

/// The checks of lesson 5, run against the exercise or the solution.
public enum HistogramBucketsChecks {
    /// The signature of `cumulativeBucketCounts`: bounds and observations in, one count per bucket out.
    public typealias Count = @Sendable ([Double], [Double]) throws -> [UInt64]

    /// Every check of the lesson, bound to one implementation of `cumulativeBucketCounts`.
    static func checks(_ count: @escaping Count) -> [Check] {
        [
            Check("one count per bound, then one for the +Inf bucket") {
                try expectEqual(try count([0.1, 0.5, 1], []), [0, 0, 0, 0])
            },
            Check("one observation counts in its bucket and in every bucket above it (cumulative)") {
                try expectEqual(try count([0.1, 0.5, 1], [0.3]), [0, 1, 1, 1])
            },
            Check("each bucket counts every observation at or below its bound") {
                try expectEqual(
                    try count([0.05, 0.1, 0.25, 0.5, 1], [0.042, 0.12, 0.087, 0.3, 0.75, 0.031, 0.2]),
                    [2, 3, 5, 6, 7, 7])
            },
            Check("a value exactly on a bound counts in that bucket (le is less than or equal)") {
                try expectEqual(try count([0.1, 0.25, 0.5], [0.25]), [0, 1, 1, 1])
                try expectEqual(try count([0.1, 0.25, 0.5], [0.1, 0.5]), [1, 1, 2, 2])
            },
            Check("a value above the last bound counts only in +Inf") {
                try expectEqual(try count([0.1, 0.5, 1], [0.2, 7.5]), [0, 1, 1, 2])
            },
            Check("NaN counts only in +Inf, as the Go client and this engine count it") {
                try expectEqual(try count([0.1, 0.5, 1], [.nan, 0.05]), [1, 1, 1, 2])
            },
            Check("zero and negative values count in every bucket whose bound they do not exceed") {
                try expectEqual(try count([0, 1], [-2, 0, 0.5]), [2, 3, 3])
            },
            Check("agrees with the engine's Histogram on 1,000 seeded latencies with Buckets.defaults") {
                let latencies = seededLatencies(1000)
                let histogram = try Registry().makeHistogram(name: "check_duration_seconds", help: "Latencies for the check.")
                for latency in latencies { histogram.observe(latency) }
                try expectEqual(try count(Buckets.defaults, latencies), histogram.snapshot.cumulativeCounts)
            },
        ]
    }

    /// The same latencies on every run: the demo's traffic, from a fixed seed.
    private static func seededLatencies(_ number: Int) -> [Double] {
        var random = SeededRandom(seed: 5)
        return (0..<number).map { _ in HistogramBucketsDemo.requestLatency(&random) }
    }
}
