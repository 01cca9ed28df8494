import Benchmark
import Prometheus
import Instrumentation

/// Finding the series for three label values, then incrementing it: what code pays when it
/// does not keep the child, as in `requests.labels(method, path, status).inc()` per request.
func registerLabelledLookupBenchmarks() {
    let labelSets = Workloads.requestLabelSets
    let perSample = Benchmark.Configuration(scalingFactor: .mega)

    Benchmark("labelled-lookup-inc/engine", configuration: perSample) { benchmark in
        let requests = try Registry().makeCounterFamily(
            name: "http_requests", help: "Requests.", labelNames: Workloads.requestLabelNames)
        benchmark.startMeasurement()
        var next = 0
        for _ in benchmark.scaledIterations {
            let labels = labelSets[next]
            try requests.labels(labels.method, labels.path, labels.status).inc()
            next = next + 1 == labelSets.count ? 0 : next + 1
        }
    }
    Benchmark("labelled-lookup-inc/swift-prometheus", configuration: perSample) { benchmark in
        let registry = PrometheusCollectorRegistry()
        let requests = MetricNameDescriptor.named("http_requests_total")
        benchmark.startMeasurement()
        var next = 0
        for _ in benchmark.scaledIterations {
            let labels = labelSets[next]
            next = next + 1 == labelSets.count ? 0 : next + 1
            registry.makeCounter(
                descriptor: requests,
                labels: [("method", labels.method), ("path", labels.path), ("status", labels.status)]
            ).increment()
        }
    }
}
