import Instrumentation
import Lesson10InstrumentAService
import WorkbookKit

/// Calls `handler` for one request and records it in the RED metrics.
///
/// `handler` answers the request and returns its HTTP status code, or throws if it failed.
/// Return the status code `handler` returned; when it throws, rethrow the very same error.
/// Around the call, exactly:
///
/// 1. `metrics.inFlight` goes up by one (`inc()`) before `handler` runs and down by one
///    (`dec()`) after it returned or threw (`defer` is made for this). Never `set` it: requests
///    run at the same time, and a handler may itself call `instrument` for another request,
///    so the gauge must read 2 inside the inner handler, 1 after it returns, 0 after both.
/// 2. The duration is `clock.now()` read once after `handler` returned or threw, minus
///    `clock.now()` read once just before calling it, in seconds, unrounded, observed once in
///    `metrics.duration.labels(method, route)`, for a failed request too.
/// 3. `metrics.requests.labels(method, route, code)` goes up by one, where `code` is the
///    returned status as decimal text (`String(status)`: "200", "404", "503"), or "500" when
///    `handler` threw.
///
/// Use `clock`, never another clock: the checks pass a `ManualClock` that the handler moves.
/// `method` and `route` are used as given (`route` is the route template, `/api/orders/:id`,
/// never the raw path). The checks compare the series that are not zero, so creating series
/// at zero ahead of time is neither needed nor wrong.
///
///     let status = try instrument(method: "GET", route: "/api/orders", metrics: metrics, clock: clock) {
///         200
///     }
///     // status == 200; http_requests_total{method="GET",route="/api/orders",code="200"} is 1;
///     // one observation in http_request_duration_seconds{method="GET",route="/api/orders"}
///
/// Check your work with `swift run lesson check 10`.
func instrument(method: String, route: String, metrics: ServiceMetrics, clock: any MetricsClock, handler: () throws -> Int) throws -> Int {
    // TODO: record the request as described above, then delete the next line.
    throw NotAttemptedYet()
}
