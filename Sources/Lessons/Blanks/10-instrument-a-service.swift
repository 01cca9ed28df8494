import Instrumentation
import Lesson10InstrumentAService
import WorkbookKit

/// Calls `handler` for one request and records it in the RED metrics.
///
/// `handler` answers the request and returns its HTTP status code, or throws if it
/// failed (count that as status 500, then rethrow the error). Around the call:
///
/// 1. While `handler` runs, `metrics.inFlight` is one higher; afterwards it is back
///    where it was, whether `handler` returned or threw (`defer` is made for this).
/// 2. The duration is `clock.now()` after the call minus `clock.now()` before it, in
///    seconds, observed in `metrics.duration.labels(method, route)`.
/// 3. `metrics.requests.labels(method, route, code)` goes up by one, with the status code
///    as text: "200", "404", "500".
///
/// `route` is the route template (`/api/orders/:id`), never the raw path.
///
///     let status = try instrument(method: "GET", route: "/api/orders", metrics: metrics, clock: clock) {
///         200
///     }
///
/// Check your work with `swift run lesson check 10`.
func instrument(method: String, route: String, metrics: ServiceMetrics, clock: any MetricsClock, handler: () throws -> Int) throws -> Int {
    // TODO: record the request as described above, then delete the next line.
    throw NotAttemptedYet()
}
