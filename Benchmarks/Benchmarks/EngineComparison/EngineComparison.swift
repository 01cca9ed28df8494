import Benchmark

/// Every timed row of the comparison, registered with package-benchmark.
///
/// Each operation is registered twice under the same row name, once per engine
/// (`counter-inc/engine`, `counter-inc/swift-prometheus`), so that one run times both and
/// the report can pair them. Rows swift-prometheus has no feature for are registered for
/// the engine only.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        maxDuration: .seconds(2),
        maxIterations: 2_000
    )
    registerHarnessBaseline()
    registerRecordingBenchmarks()
    registerLabelledLookupBenchmarks()
    registerSummaryBenchmarks()
    registerContentionBenchmarks()
    registerExpositionBenchmarks()
}

/// An empty benchmark: what package-benchmark itself allocates per sample, which the
/// report subtracts from every row's allocation count.
func registerHarnessBaseline() {
    Benchmark("harness/empty", configuration: .init(scalingFactor: .one)) { benchmark in
        for index in benchmark.scaledIterations { blackHole(index) }
    }
}
