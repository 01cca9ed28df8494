import Instrumentation
import WorkbookKit

/// The simulated HTTP service the rules watch: lesson 10's metrics, fed with made-up requests.
struct ServiceTraffic {
    /// What the service is going through.
    enum Condition: Sendable {
        /// 0.05 % of requests fail (half the error budget's rate), almost all are fast.
        case healthy
        /// 10 % of requests fail.
        case outage
        /// Requests take 0.1 s at least and 0.35 s more on average: many exceed 0.3 s and 0.6 s.
        case slow
    }

    /// A route of the service: its method, its route template and the status codes it answers.
    struct Route: Sendable {
        /// The HTTP method, the `method` label.
        let method: String
        /// The route template (never the raw path, whose ids would multiply series), the `route` label.
        let route: String
        /// The status code of a successful answer.
        let success: String
        /// The status code of a failed answer, a 5xx.
        let failure: String
    }

    /// The two routes; the first gets two requests of every three.
    static let routes = [
        Route(method: "GET", route: "/items", success: "200", failure: "500"),
        Route(method: "POST", route: "/checkout", success: "201", failure: "503"),
    ]

    /// The histogram's bucket bounds, as in lesson 10's service.
    static let buckets = [0.05, 0.1, 0.3, 0.6, 1.2, 2.5, 5]

    /// One route's series, looked up once: finding a labelled child costs a dictionary lookup,
    /// which a service keeps off its request path.
    struct RouteMetrics {
        /// `http_requests_total{method,route,code}` with the route's success code.
        let succeeded: Counter
        /// `http_requests_total{method,route,code}` with the route's failure code.
        let failed: Counter
        /// `http_request_duration_seconds{method,route}`.
        let duration: Histogram
    }

    /// The series of each route, in the order of `routes`.
    let routeMetrics: [RouteMetrics]
    /// `http_requests_in_flight`.
    let inFlight: Gauge

    /// The service's metrics in `registry`; asking again returns the same ones.
    init(_ registry: Registry) throws {
        let requests = try registry.makeCounterFamily(
            name: "http_requests_total", help: "HTTP requests answered, by method, route and status code.",
            labelNames: ["method", "route", "code"])
        let duration = try registry.makeHistogramFamily(
            name: "http_request_duration_seconds", help: "Time from request to response, by method and route.",
            labelNames: ["method", "route"], buckets: Self.buckets, unit: "seconds")
        routeMetrics = try Self.routes.map { route in
            RouteMetrics(
                succeeded: try requests.labels(route.method, route.route, route.success),
                failed: try requests.labels(route.method, route.route, route.failure),
                duration: try duration.labels(route.method, route.route))
        }
        inFlight = try registry.makeGauge(name: "http_requests_in_flight", help: "HTTP requests being answered right now.")
    }

    /// One second of traffic: `count` requests, counted and timed as the service would.
    func serve(_ count: Int, during condition: Condition, random: inout SeededRandom) {
        var busy = 0.0
        for _ in 0..<count {
            let route = routeMetrics[random.next(below: 3) == 2 ? 1 : 0]
            let failed = random.unit() < (condition == .outage ? 0.1 : 0.0005)
            let seconds = condition == .slow ? 0.1 + 0.35 * random.exponential() : 0.02 + 0.08 * random.exponential()
            (failed ? route.failed : route.succeeded).inc()
            route.duration.observe(seconds)
            busy += seconds
        }
        // Requests in flight on average: the seconds spent answering, per second (Little's law).
        inFlight.set(busy.rounded())
    }
}
