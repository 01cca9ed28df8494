import Instrumentation

/// The RED metrics of the shop service: Rate and Errors from one counter, Duration from one histogram.
///
/// Three metrics answer the three questions anyone on call asks of a request-serving
/// service: how many requests (rate), how many fail (errors), how long they take
/// (duration). `code` is a label of the counter rather than a second counter, so the
/// error ratio is one query: errors over all, both from the same family.
///
/// Each duration observation carries the request's trace id as an exemplar
/// (`observeDuration`), so a dashboard can go from a slow bucket to one slow request.
public struct ServiceMetrics: Sendable {
    /// Requests answered, by method, route template and status code.
    public let requests: MetricFamily<Counter>
    /// Time from request to response, by method and route template.
    public let duration: MetricFamily<Histogram>
    /// Requests being answered right now: a gauge, since it goes down when each one ends.
    public let inFlight: Gauge
    /// The registry's clock, which stamps the exemplars.
    let clock: any MetricsClock

    /// Bounds around the Apdex target T = 0.3 s and 4T = 1.2 s, so lesson 8's score can be read off them.
    public static let durationBuckets: [Double] = [0.05, 0.1, 0.3, 0.6, 1.2, 2.5, 5]

    public init(registry: Registry) throws {
        requests = try registry.makeCounterFamily(
            name: "http_requests_total", help: "HTTP requests answered, by method, route and status code.",
            labelNames: ["method", "route", "code"])
        duration = try registry.makeHistogramFamily(
            name: "http_request_duration_seconds", help: "Time from request to response, by method and route.",
            labelNames: ["method", "route"], buckets: Self.durationBuckets, unit: "seconds")
        inFlight = try registry.makeGauge(name: "http_requests_in_flight", help: "HTTP requests being answered right now.")
        clock = registry.clock
    }

    /// Observes one request's duration in `duration.labels(method, route)`, with a trace id
    /// as the exemplar of the bucket it lands in: `trace_id` (a new one unless given), the
    /// seconds, and the time of the observation.
    ///
    /// OpenMetrics writes the exemplar on the bucket's line,
    /// `…_bucket{method="GET",route="/api/checkout",le="0.6"} 9.0 # {trace_id="4bf9…"} 0.42 1700000000.12`;
    /// Prometheus with exemplar storage keeps it, and Grafana draws it as a dot that links
    /// to the trace. The text format 0.0.4 leaves it out.
    func observeDuration(_ seconds: Double, method: String, route: String, traceID: String = TraceID.random()) throws {
        try duration.labels(method, route).observe(seconds, exemplar: ["trace_id": traceID], timestamp: clock.now())
    }
}
