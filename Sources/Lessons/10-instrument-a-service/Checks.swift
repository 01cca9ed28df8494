import Instrumentation
import WorkbookKit

/// The checks of lesson 10, run against the exercise or the solution.
public enum InstrumentChecks {
    /// The signature of `instrument`.
    public typealias Instrument = @Sendable (String, String, ServiceMetrics, any MetricsClock, () throws -> Int) throws -> Int

    /// An error a handler throws in the checks.
    struct HandlerFailed: Error {}

    /// A fresh registry, its metrics, and a clock standing still until a handler moves it.
    private static func fixture() throws -> (registry: Registry, metrics: ServiceMetrics, clock: ManualClock) {
        let clock = ManualClock(1_000)
        let registry = Registry(clock: clock)
        return (registry, try ServiceMetrics(registry: registry), clock)
    }

    static func checks(_ instrument: @escaping Instrument) -> [Check] {
        [
            Check("a request is counted once, by method, route and status code") {
                let (_, metrics, clock) = try fixture()
                _ = try instrument("GET", "/api/orders", metrics, clock) { 200 }
                try expectEqual(metrics.requests.collect().series.map(\.labelValues), [["GET", "/api/orders", "200"]])
                try expectEqual(try metrics.requests.labels("GET", "/api/orders", "200").value, 1)
            },
            Check("the status code the handler returns is passed back and labels the count") {
                let (_, metrics, clock) = try fixture()
                try expectEqual(try instrument("GET", "/api/orders/:id", metrics, clock) { 404 }, 404)
                try expectEqual(metrics.requests.collect().series.map(\.labelValues), [["GET", "/api/orders/:id", "404"]])
            },
            Check("the duration is observed once, in seconds") {
                let (_, metrics, clock) = try fixture()
                _ = try instrument("POST", "/api/checkout", metrics, clock) {
                    clock.advance(by: 0.25)
                    return 200
                }
                let histogram = try metrics.duration.labels("POST", "/api/checkout").snapshot
                try expectEqual(histogram.count, 1)
                try expectEqual(histogram.sum, 0.25)
                // Buckets 0.05, 0.1, 0.3 …: 0.25 s is above le="0.1" and within le="0.3".
                try expectEqual(Array(histogram.cumulativeCounts.prefix(3)), [0, 0, 1])
            },
            Check("in flight is one higher while the handler runs, and back after") {
                let (_, metrics, clock) = try fixture()
                var during = -1.0
                _ = try instrument("GET", "/", metrics, clock) {
                    during = metrics.inFlight.value
                    return 200
                }
                try expectEqual(during, 1)
                try expectEqual(metrics.inFlight.value, 0)
            },
            Check("a handler that throws is counted as 500, timed, and its error rethrown") {
                let (_, metrics, clock) = try fixture()
                var rethrown = false
                do {
                    _ = try instrument("GET", "/api/search", metrics, clock) {
                        clock.advance(by: 2)
                        throw HandlerFailed()
                    }
                } catch is HandlerFailed {
                    rethrown = true
                }
                try expectEqual(rethrown, true)
                try expectEqual(metrics.requests.collect().series.map(\.labelValues), [["GET", "/api/search", "500"]])
                try expectEqual(try metrics.duration.labels("GET", "/api/search").snapshot.sum, 2)
                try expectEqual(metrics.inFlight.value, 0)
            },
            Check("requests on two routes make two series, and repeats add up") {
                let (_, metrics, clock) = try fixture()
                for _ in 0..<3 { _ = try instrument("GET", "/", metrics, clock) { 200 } }
                _ = try instrument("GET", "/api/orders", metrics, clock) { 200 }
                try expectEqual(metrics.requests.collect().series.map { $0.value }, [.counter(3), .counter(1)])
                try expectEqual(metrics.duration.collect().series.count, 2)
            },
        ]
    }
}
