import Benchmark
import Instrumentation

/// Summary observations, with the periodic merge and compression they pay for, and the
/// rank error of the quantiles they produce. swift-prometheus 2.x has no summary type.
func registerSummaryBenchmarks() {
    let objectives = SummaryAccuracy.objectives
    let rankErrors = objectives.map { SummaryAccuracy.metric(for: $0) }
    let configuration = Benchmark.Configuration(
        metrics: Benchmark.defaultConfiguration.metrics + rankErrors,
        scalingFactor: .mega,
        maxIterations: 25
    )
    Benchmark("summary-observe/engine", configuration: configuration) { benchmark in
        let summary = try Registry().makeSummary(
            name: "rpc_duration_seconds", help: "RPC latency.", objectives: objectives, maxAge: 600, ageBuckets: 5)
        let observations = SummaryAccuracy.observations
        benchmark.startMeasurement()
        observations.withUnsafeBufferPointer { values in
            for index in benchmark.scaledIterations { summary.observe(values[index]) }
        }
        benchmark.stopMeasurement()
        let errors = SummaryAccuracy.rankErrors(of: summary.snapshot, sortedObservations: SummaryAccuracy.sortedObservations)
        for (metric, error) in zip(rankErrors, errors) {
            benchmark.measurement(metric, Int((error * 1_000_000).rounded()))
        }
    }
}

/// The summary rows' workload and how far its quantiles are from the exact ones.
enum SummaryAccuracy {
    /// The objectives of the summary row: the usual median, 90th and 99th percentiles.
    static let objectives = [
        SummaryObjective(quantile: 0.5, error: 0.05),
        SummaryObjective(quantile: 0.9, error: 0.01),
        SummaryObjective(quantile: 0.99, error: 0.001),
    ]

    /// One sample's observations: exponentially distributed latencies around 100 ms, from a fixed seed.
    static let observations: [Double] = {
        var random = Latencies(seed: 2_024)
        return (0..<Workloads.operationsPerSample).map { _ in 0.1 * random.exponential() }
    }()

    /// The same observations sorted, the exact answer the estimates are compared with.
    static let sortedObservations = observations.sorted()

    /// The custom metric carrying an objective's observed rank error, in millionths of the count.
    static func metric(for objective: SummaryObjective) -> BenchmarkMetric {
        .custom("rank error q\(objective.quantile) (ppm)", polarity: .prefersSmaller, useScalingFactor: false)
    }

    /// For each quantile of `snapshot`, how far the estimate's rank lies from the quantile's
    /// rank, as a fraction of the count: 0 when the estimate could be the exact quantile.
    ///
    /// The estimate's rank is the range of positions it occupies in the sorted observations
    /// (ties give a range); the error is the distance from φ·n to that range, divided by n.
    static func rankErrors(of snapshot: SummarySnapshot, sortedObservations sorted: [Double]) -> [Double] {
        let count = Double(sorted.count)
        return snapshot.quantiles.map { quantile in
            let below = Double(firstIndex(in: sorted) { $0 >= quantile.value })
            let atOrBelow = Double(firstIndex(in: sorted) { $0 > quantile.value })
            let target = quantile.quantile * count
            let distance = target < below ? below - target : target > atOrBelow ? target - atOrBelow : 0
            return distance / count
        }
    }

    /// The first index of the sorted `values` at which `isPast` holds (it must hold for a suffix).
    private static func firstIndex(in values: [Double], where isPast: (Double) -> Bool) -> Int {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if isPast(values[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
