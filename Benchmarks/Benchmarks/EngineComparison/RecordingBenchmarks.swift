import Benchmark
import Prometheus
import Instrumentation

/// One thread recording into one unlabelled series: what an instrumented hot path pays.
func registerRecordingBenchmarks() {
    let perSample = Benchmark.Configuration(scalingFactor: .mega)

    Benchmark("counter-inc/engine", configuration: perSample) { benchmark in
        let counter = try Registry().makeCounter(name: "requests", help: "Requests.")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { counter.inc() }
        benchmark.stopMeasurement()
        blackHole(counter.value)
    }
    Benchmark("counter-inc/swift-prometheus", configuration: perSample) { benchmark in
        let counter = PrometheusCollectorRegistry().makeCounter(descriptor: .named("requests_total"))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { counter.increment() }
    }

    Benchmark("counter-add-fraction/engine", configuration: perSample) { benchmark in
        let counter = try Registry().makeCounter(name: "bytes", help: "Bytes.")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { counter.inc(by: 0.5) }
        benchmark.stopMeasurement()
        blackHole(counter.value)
    }
    Benchmark("counter-add-fraction/swift-prometheus", configuration: perSample) { benchmark in
        let counter = PrometheusCollectorRegistry().makeCounter(descriptor: .named("bytes_total"))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { counter.increment(by: 0.5) }
    }

    Benchmark("gauge-add/engine", configuration: perSample) { benchmark in
        let gauge = try Registry().makeGauge(name: "in_flight", help: "In flight.")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { gauge.add(0.5) }
        benchmark.stopMeasurement()
        blackHole(gauge.value)
    }
    Benchmark("gauge-add/swift-prometheus", configuration: perSample) { benchmark in
        let gauge = PrometheusCollectorRegistry().makeGauge(descriptor: .named("in_flight"))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { gauge.increment(by: 0.5) }
    }

    Benchmark("gauge-set/engine", configuration: perSample) { benchmark in
        let gauge = try Registry().makeGauge(name: "temperature", help: "Temperature.")
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations { gauge.set(Double(index)) }
        benchmark.stopMeasurement()
        blackHole(gauge.value)
    }
    Benchmark("gauge-set/swift-prometheus", configuration: perSample) { benchmark in
        let gauge = PrometheusCollectorRegistry().makeGauge(descriptor: .named("temperature"))
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations { gauge.set(to: Double(index)) }
    }

    Benchmark("histogram-observe/engine", configuration: perSample) { benchmark in
        let histogram = try Registry().makeHistogram(name: "latency_seconds", help: "Latency.")
        benchmark.startMeasurement()
        Workloads.latencies.withUnsafeBufferPointer { latencies in
            for index in benchmark.scaledIterations { histogram.observe(latencies[index & 15]) }
        }
        benchmark.stopMeasurement()
        blackHole(histogram.snapshot.count)
    }
    Benchmark("histogram-observe/swift-prometheus", configuration: perSample) { benchmark in
        let histogram = PrometheusCollectorRegistry().makeValueHistogram(
            descriptor: .named("latency_seconds"), buckets: Workloads.defaultBuckets)
        benchmark.startMeasurement()
        Workloads.latencies.withUnsafeBufferPointer { latencies in
            for index in benchmark.scaledIterations { histogram.record(latencies[index & 15]) }
        }
    }
}

extension MetricNameDescriptor {
    /// A descriptor whose full name is `name`, with no help text, for swift-prometheus's
    /// current (not deprecated) factories.
    static func named(_ name: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: "")
    }
}
