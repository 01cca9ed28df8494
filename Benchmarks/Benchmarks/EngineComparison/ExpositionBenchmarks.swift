import Benchmark
import Prometheus
import Instrumentation
import Scraping

/// Rendering a scrape of 10,000 counter series, and reading one back.
///
/// Rendering includes collecting the values, as a scrape does. swift-prometheus has no
/// OpenMetrics encoder and no parser.
func registerExpositionBenchmarks() {
    let perSample = Benchmark.Configuration(scalingFactor: .one, maxIterations: 3_000)

    Benchmark("render-10k-text/engine", configuration: perSample) { benchmark in
        let registry = ExpositionFixtures.engineRegistry
        benchmark.startMeasurement()
        blackHole(ExpositionFormat.prometheus.encode(registry.collect()))
    }
    Benchmark("render-10k-text/swift-prometheus", configuration: perSample) { benchmark in
        let registry = ExpositionFixtures.prometheusRegistry
        var buffer = [UInt8]()
        registry.emit(into: &buffer)
        benchmark.startMeasurement()
        buffer.removeAll(keepingCapacity: true)
        registry.emit(into: &buffer)
        blackHole(buffer)
    }
    Benchmark("render-10k-openmetrics/engine", configuration: perSample) { benchmark in
        let registry = ExpositionFixtures.engineRegistry
        benchmark.startMeasurement()
        blackHole(ExpositionFormat.openmetrics.encode(registry.collect()))
    }
    Benchmark("parse-10k-text/engine", configuration: perSample) { benchmark in
        let exposition = ExpositionFixtures.engineExposition
        benchmark.startMeasurement()
        blackHole(try ExpositionParser.parse(exposition, format: .prometheus))
    }
}

/// The registries of the exposition rows, built once per process.
enum ExpositionFixtures {
    /// The engine's registry holding the workload's 10,000 counter series.
    static let engineRegistry: Registry = {
        let registry = Registry()
        let requests = try! registry.makeCounterFamily(
            name: "http_requests", help: "Requests served.", labelNames: ["route", "instance"])
        for series in Workloads.exposedSeries {
            try! requests.labels(series.route, series.instance).inc(by: Double(series.value))
        }
        return registry
    }()

    /// swift-prometheus's registry holding the same series.
    static let prometheusRegistry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        let requests = MetricNameDescriptor(metricName: "http_requests", unitName: "total", helpText: "Requests served.")
        for series in Workloads.exposedSeries {
            registry.makeCounter(descriptor: requests, labels: [("route", series.route), ("instance", series.instance)])
                .increment(by: Int64(series.value))
        }
        return registry
    }()

    /// The engine's 0.0.4 exposition of those series, the parser's input.
    static let engineExposition: [UInt8] = ExpositionFormat.prometheus.encode(engineRegistry.collect())
}
