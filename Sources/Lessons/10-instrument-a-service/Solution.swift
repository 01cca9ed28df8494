import Instrumentation

/// The reference answer to `instrument` in Exercise.swift. Try the exercise first.
func solutionInstrument(method: String, route: String, metrics: ServiceMetrics, clock: any MetricsClock, handler: () throws -> Int) throws -> Int {
    metrics.inFlight.inc()
    // Runs however the handler ends: a request that throws must not stay "in flight" forever.
    defer { metrics.inFlight.dec() }
    let start = clock.now()
    var status = 500
    // Record after the handler, on success and on error alike, so failures are counted too.
    defer {
        let seconds = clock.now() - start
        // Observed in metrics.duration.labels(method, route), as `histogram.observe(seconds)` would;
        // the service's version also attaches the request's trace id as an exemplar.
        try? metrics.observeDuration(seconds, method: method, route: route)
        if let counter = try? metrics.requests.labels(method, route, String(status)) { counter.inc() }
    }
    status = try handler()
    return status
}
