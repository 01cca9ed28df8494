import Benchmark
import Prometheus
import Instrumentation
import Synchronization

/// Two threads recording into the same series at once, each doing a sample's worth of
/// operations; the time per sample is the time per operation per thread.
func registerContentionBenchmarks() {
    let perSample = Benchmark.Configuration(scalingFactor: .mega, maxIterations: 300)
    let threads = 2

    Benchmark("counter-inc-2-threads/engine", configuration: perSample) { benchmark in
        let counter = try Registry().makeCounter(name: "requests", help: "Requests.")
        let operations = benchmark.scaledIterations
        benchmark.startMeasurement()
        runConcurrently(threads: threads) {
            for _ in operations { counter.inc() }
        }
        benchmark.stopMeasurement()
        precondition(counter.value == Double(threads * operations.count), "lost increments")
    }
    Benchmark("counter-inc-2-threads/swift-prometheus", configuration: perSample) { benchmark in
        let counter = PrometheusCollectorRegistry().makeCounter(descriptor: .named("requests_total"))
        let operations = benchmark.scaledIterations
        benchmark.startMeasurement()
        runConcurrently(threads: threads) {
            for _ in operations { counter.increment() }
        }
    }

    Benchmark("histogram-observe-2-threads/engine", configuration: perSample) { benchmark in
        let histogram = try Registry().makeHistogram(name: "latency_seconds", help: "Latency.")
        let operations = benchmark.scaledIterations
        benchmark.startMeasurement()
        runConcurrently(threads: threads) {
            Workloads.latencies.withUnsafeBufferPointer { latencies in
                for index in operations { histogram.observe(latencies[index & 15]) }
            }
        }
        benchmark.stopMeasurement()
        precondition(histogram.snapshot.count == UInt64(threads * operations.count), "lost observations")
    }
    // The same two threads, each into a histogram of its own: nothing is shared, so this
    // is what two busy threads cost on this machine, the floor for the row above.
    Benchmark("histogram-observe-2-threads-own-series/engine", configuration: perSample) { benchmark in
        let registry = Registry()
        let histograms = try (0..<threads).map { try registry.makeHistogram(name: "latency_\($0)_seconds", help: "Latency.") }
        let operations = benchmark.scaledIterations
        let next = Atomic(0)
        benchmark.startMeasurement()
        runConcurrently(threads: threads) {
            let histogram = histograms[next.add(1, ordering: .relaxed).oldValue]
            Workloads.latencies.withUnsafeBufferPointer { latencies in
                for index in operations { histogram.observe(latencies[index & 15]) }
            }
        }
        benchmark.stopMeasurement()
        precondition(histograms.allSatisfy { $0.snapshot.count == UInt64(operations.count) }, "lost observations")
    }
    Benchmark("histogram-observe-2-threads/swift-prometheus", configuration: perSample) { benchmark in
        let histogram = PrometheusCollectorRegistry().makeValueHistogram(
            descriptor: .named("latency_seconds"), buckets: Workloads.defaultBuckets)
        let operations = benchmark.scaledIterations
        benchmark.startMeasurement()
        runConcurrently(threads: threads) {
            Workloads.latencies.withUnsafeBufferPointer { latencies in
                for index in operations { histogram.record(latencies[index & 15]) }
            }
        }
    }
}
