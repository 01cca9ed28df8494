import Foundation
import Platform
import Instrumentation
import WorkbookKit

/// The checks of lesson 10, run against the exercise or the solution.
///
/// The named checks are the cases worth understanding; the generated one runs the exercise
/// and `solutionInstrument` through the same thousands of request scenarios, half of them
/// plain (one request that returns 200 after a while) and half from these edge classes, and
/// compares everything a scenario leaves behind.
///
/// Edge classes generated:
/// - nested requests, up to three deep: a handler that itself calls `instrument`, so two or
///   three requests are in flight at once; the in-flight gauge is read at the start of every
///   handler and after every nested call returns or throws;
/// - handlers that throw, nested handlers that throw and are caught (the outer request then
///   answers 502) or not caught (both requests fail);
/// - status codes other than 200: 201, 204, 301, 304, 404, 418, 429, 499, 500, 502, 503, 599;
/// - durations from the injected manual clock: exactly on a bucket bound (0.3), sums of
///   advances that are not exact in binary (0.1 + 0.2 is above 0.3), tiny (1e-9 s), zero,
///   long (100 s), several advances inside one handler, and a clock standing near 1.7e9 s;
/// - methods and routes other than GET and `/`: lowercase, non-ASCII and spaced routes.
/// Besides, a named check runs two requests on two threads that overlap without nesting
/// (the first ends while the second is still in flight), in a fixed order.
public enum InstrumentChecks {
    /// The signature of `instrument`.
    public typealias Instrument = @Sendable (String, String, ServiceMetrics, any MetricsClock, () throws -> Int) throws -> Int

    /// An error a handler throws in the checks.
    struct HandlerFailed: Error, CustomStringConvertible {
        var description: String { "HandlerFailed" }
    }

    /// A fresh registry, its metrics, and a clock standing still until a handler moves it.
    private static func fixture(at start: Double = 1_000) throws -> (registry: Registry, metrics: ServiceMetrics, clock: ManualClock) {
        let clock = ManualClock(start)
        let registry = Registry(clock: clock)
        return (registry, try ServiceMetrics(registry: registry), clock)
    }

    static func checks(_ instrument: @escaping Instrument) -> [Check] {
        [
            Check("a request is counted once, by method, route and status code") {
                let (_, metrics, clock) = try fixture()
                _ = try instrument("GET", "/api/orders", metrics, clock) { 200 }
                try expectEqual(RequestOutcome.counts(metrics), [#"http_requests_total{method="GET",route="/api/orders",code="200"} 1"#],
                                input: "GET /api/orders, the handler returns 200; the non-zero http_requests_total series")
            },
            Check("the status code the handler returns is passed back and labels the count") {
                let (_, metrics, clock) = try fixture()
                try expectEqual(try instrument("GET", "/api/orders/:id", metrics, clock) { 404 }, 404,
                                input: "GET /api/orders/:id, the handler returns 404; what instrument returned")
                try expectEqual(RequestOutcome.counts(metrics), [#"http_requests_total{method="GET",route="/api/orders/:id",code="404"} 1"#],
                                input: "GET /api/orders/:id, the handler returns 404; the non-zero http_requests_total series")
            },
            Check("the duration is observed once, in seconds") {
                let (_, metrics, clock) = try fixture()
                _ = try instrument("POST", "/api/checkout", metrics, clock) {
                    clock.advance(by: 0.25)
                    return 200
                }
                // Buckets 0.05, 0.1, 0.3 …: 0.25 s is above le="0.1" and within le="0.3".
                try expectEqual(RequestOutcome.durations(metrics),
                                [#"http_request_duration_seconds{method="POST",route="/api/checkout"} count 1, sum 0.25, buckets 0 0 1 1 1 1 1 1"#],
                                input: "POST /api/checkout, the handler takes 0.25 s on the clock; the histogram series observed")
            },
            Check("in flight is one higher while the handler runs, and back after") {
                let (_, metrics, clock) = try fixture()
                var during = -1.0
                _ = try instrument("GET", "/", metrics, clock) {
                    during = metrics.inFlight.value
                    return 200
                }
                try expectEqual(during, 1, input: "GET /, one request; http_requests_in_flight read inside the handler")
                try expectEqual(metrics.inFlight.value, 0, input: "GET /, one request; http_requests_in_flight after instrument returned")
            },
            Check("a nested request: in flight is 2 inside the inner handler, then 1, then 0") {
                let (_, metrics, clock) = try fixture()
                var readings: [Double] = []
                _ = try instrument("GET", "/api/orders", metrics, clock) {
                    readings.append(metrics.inFlight.value)
                    _ = try instrument("GET", "/api/orders/:id", metrics, clock) {
                        readings.append(metrics.inFlight.value)
                        return 200
                    }
                    readings.append(metrics.inFlight.value)
                    return 200
                }
                readings.append(metrics.inFlight.value)
                try expectEqual(readings.map(shownValue), ["1", "2", "1", "0"], input: """
                    GET /api/orders whose handler calls instrument for GET /api/orders/:id; http_requests_in_flight read \
                    in the outer handler, in the inner handler, in the outer handler after the inner returned, after both
                    """)
            },
            Check("two requests that overlap without nesting: the first ends while the second runs") {
                try overlappingRequests(instrument)
            },
            Check("a handler that throws is counted as 500, timed, and its error rethrown") {
                let (_, metrics, clock) = try fixture()
                let scenario = "GET /api/search, the handler takes 2 s and throws HandlerFailed"
                var rethrown = "nothing (instrument returned)"
                do {
                    _ = try instrument("GET", "/api/search", metrics, clock) {
                        clock.advance(by: 2)
                        throw HandlerFailed()
                    }
                } catch {
                    rethrown = "\(type(of: error))"
                }
                try expectEqual(rethrown, "HandlerFailed", input: scenario + "; what instrument threw")
                try expectEqual(RequestOutcome.counts(metrics), [#"http_requests_total{method="GET",route="/api/search",code="500"} 1"#],
                                input: scenario + "; the non-zero http_requests_total series")
                try expectEqual(RequestOutcome.durations(metrics),
                                [#"http_request_duration_seconds{method="GET",route="/api/search"} count 1, sum 2, buckets 0 0 0 0 0 1 1 1"#],
                                input: scenario + "; the histogram series observed")
                try expectEqual(metrics.inFlight.value, 0, input: scenario + "; http_requests_in_flight afterwards")
            },
            Check("requests on two routes make two series, and repeats add up") {
                let (_, metrics, clock) = try fixture()
                for _ in 0..<3 { _ = try instrument("GET", "/", metrics, clock) { 200 } }
                _ = try instrument("GET", "/api/orders", metrics, clock) { 200 }
                try expectEqual(RequestOutcome.counts(metrics), [
                    #"http_requests_total{method="GET",route="/",code="200"} 3"#,
                    #"http_requests_total{method="GET",route="/api/orders",code="200"} 1"#,
                ], input: "GET / three times, then GET /api/orders, each returning 200; the non-zero http_requests_total series")
            },
            .generated(
                "agrees with the reference on generated requests, nested, failing and timed",
                generate: RequestScenario.generate, shrink: RequestScenario.shrink, describe: \.description,
                subject: { scenario in try scenario.run(instrument) },
                reference: { scenario in try scenario.run(solutionInstrument) }),
        ]
    }

    /// Request A starts; on another thread request B starts; A ends while B is in flight; B ends.
    /// Semaphores fix the order, so the check is the same on every run; each wait gives up
    /// after 5 seconds, so an exercise that never calls its handler fails instead of hanging.
    private static func overlappingRequests(_ instrument: @escaping Instrument) throws {
        let (_, metrics, clock) = try fixture()
        let aStarted = DispatchSemaphore(value: 0), bStarted = DispatchSemaphore(value: 0)
        let aEnded = DispatchSemaphore(value: 0), bEnded = DispatchSemaphore(value: 0)
        let readings = Locked<[String: Double]>([:])
        let second = try JoinableThread {
            guard aStarted.wait(timeout: .now() + 5) == .success else {
                bEnded.signal()
                return
            }
            _ = try? instrument("GET", "/b", metrics, clock) {
                bStarted.signal()
                _ = aEnded.wait(timeout: .now() + 5)
                readings.withLock { $0["inside B, after A ended"] = metrics.inFlight.value }
                return 200
            }
            bEnded.signal()
        }
        _ = try instrument("GET", "/a", metrics, clock) {
            aStarted.signal()
            _ = bStarted.wait(timeout: .now() + 5)
            readings.withLock { $0["inside A, with B started"] = metrics.inFlight.value }
            return 200
        }
        readings.withLock { $0["after A returned, B still running"] = metrics.inFlight.value }
        aEnded.signal()
        // A second request that never ended is left running: joining it would hang the check.
        if bEnded.wait(timeout: .now() + 5) == .success { second.join() }
        readings.withLock { $0["after both returned"] = metrics.inFlight.value }
        let order = ["inside A, with B started", "after A returned, B still running", "inside B, after A ended", "after both returned"]
        let found = readings.withLock { values in order.map { values[$0].map(shownValue) ?? "not read" } }
        try expectEqual(found, ["2", "1", "1", "0"], input: """
            GET /a starts; GET /b starts on another thread; GET /a returns while GET /b runs; then GET /b returns. \
            http_requests_in_flight read \(order.joined(separator: "; "))
            """)
    }
}

/// A gauge reading as the exposition writes it: 1, not 1.0.
private func shownValue(_ value: Double) -> String {
    formatSampleValue(value, for: .prometheus)
}
