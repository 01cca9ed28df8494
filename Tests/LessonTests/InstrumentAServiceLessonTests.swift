import Platform
import Instrumentation
import HTTP
import WorkbookKit
import TestSupport
import XCTest

@testable import Lesson10InstrumentAService

/// Lesson 10: the solution passes every check, known-wrong versions each fail one, and the
/// learner's exercise is checked once attempted; the service itself answers and records.
final class InstrumentAServiceLessonTests: XCTestCase {
    func testTheSolutionPassesEveryCheck() {
        let report = CheckReport(running: InstrumentChecks.checks(solutionInstrument))
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
        XCTAssertEqual(report.results.count, 9)
    }

    /// The generated check really runs thousands of scenarios, and the blank stops it at the first.
    func testTheGeneratedCheckTriesAtLeastTwoThousandScenarios() {
        let calls = Locked(0)
        let generated = InstrumentChecks.checks { method, route, metrics, clock, handler in
            calls.withLock { $0 += 1 }
            return try solutionInstrument(method: method, route: route, metrics: metrics, clock: clock, handler: handler)
        }.last!
        XCTAssertTrue(CheckReport(running: [generated]).passed)
        XCTAssertGreaterThanOrEqual(calls.withLock { $0 }, Check.generatedInputCount)
    }

    func testAnUntouchedExerciseIsReportedAsNotAttempted() {
        let report = CheckReport(running: InstrumentChecks.checks { _, _, _, _, _ in throw NotAttemptedYet() })
        XCTAssertTrue(report.notAttempted)
    }

    /// A failure names the metric and the scenario, and shows no `Optional(…)`.
    func testAFailureNamesTheMetricAndTheScenario() {
        let lesson = Workbook.lessons[9]
        let mutant = Self.mutants.first { $0.name.hasPrefix("in flight set to 1") }!.instrument
        let text = CheckReport(running: InstrumentChecks.checks(mutant)).rendered(for: lesson, subject: "Exercise.swift")
        XCTAssertTrue(text.contains("""
              ✗ a nested request: in flight is 2 inside the inner handler, then 1, then 0
                  input:    GET /api/orders whose handler calls instrument for GET /api/orders/:id; http_requests_in_flight read
            """), text)
        XCTAssertTrue(text.contains("      expected: [\"1\", \"2\", \"1\", \"0\"]\n      found:    [\"1\", \"1\", \"0\", \"0\"]"), text)
        XCTAssertTrue(text.contains("✗ agrees with the reference on generated requests, nested, failing and timed\n      input:    clock at "), text)
        XCTAssertFalse(text.contains("Optional("), text)
    }

    func testTheLearnersExerciseCompilesAndPassesOnceAttempted() throws {
        try LearnersExercise.check(Workbook.lessons[9])
    }

    func testEveryMutantFailsAtLeastOneCheck() {
        for (name, mutant) in Self.mutants {
            let report = CheckReport(running: InstrumentChecks.checks(mutant))
            XCTAssertFalse(report.notAttempted, name)
            XCTAssertFalse(report.passed, "the checks should catch the mutant '\(name)'")
        }
    }

    /// The generated check alone catches every mutant but the one only overlapping threads reveal.
    func testTheGeneratedCheckAloneCatchesTheMutants() {
        for (name, mutant) in Self.mutants where name != Self.overlapOnly {
            let report = CheckReport(running: [InstrumentChecks.checks(mutant).last!])
            XCTAssertFalse(report.passed, "the generated check should catch the mutant '\(name)'")
        }
    }

    func testTheServiceAnswersRoutesAndRecordsThem() throws {
        let registry = Registry()
        let shop = try ShopService(metrics: try ServiceMetrics(registry: registry), workScale: 0)
        XCTAssertEqual(shop.handle(HTTPRequest(path: "/api/orders/7"))?.status, 200)
        XCTAssertNil(shop.handle(HTTPRequest(path: "/admin")), "unknown paths are the server's 404")
        XCTAssertEqual(ShopService.route(for: "/api/orders/123")?.template, "/api/orders/:id")
        let requests = try shop.metrics.requests.labels("GET", "/api/orders/:id", "200")
        XCTAssertEqual(requests.value, 1)
        XCTAssertEqual(try shop.metrics.requests.labels("GET", "/", "500").value, 0, "series exist at zero before any request")
    }

    func testSimulatedTrafficOnlyEverAddsRequests() throws {
        let registry = Registry()
        var previous = 0.0
        for tick in 0..<5 {
            try ServiceTraffic.simulate(registry, tick: tick)
            let total = registry.collect().first { $0.name == "http_requests" }?.series.reduce(0.0) { sum, series in
                if case .counter(let value) = series.value { return sum + value }
                return sum
            } ?? 0
            XCTAssertGreaterThan(total, previous)
            previous = total
        }
    }

    /// Known-wrong versions of `instrument`, each a mistake a learner could make.
    static let mutants: [(name: String, instrument: InstrumentChecks.Instrument)] = [
        ("in flight not decremented when the handler throws", { method, route, metrics, clock, handler in
            metrics.inFlight.inc()
            let start = clock.now()
            do {
                let status = try handler()
                metrics.inFlight.dec()
                try metrics.duration.labels(method, route).observe(clock.now() - start)
                try metrics.requests.labels(method, route, String(status)).inc()
                return status
            } catch {
                try metrics.duration.labels(method, route).observe(clock.now() - start)
                try metrics.requests.labels(method, route, "500").inc()
                throw error
            }
        }),
        ("duration in milliseconds", { method, route, metrics, clock, handler in
            try solutionInstrument(method: method, route: route, metrics: metrics, clock: ScaledClock(clock, by: 1000), handler: handler)
        }),
        ("failures not counted", { method, route, metrics, clock, handler in
            metrics.inFlight.inc()
            defer { metrics.inFlight.dec() }
            let start = clock.now()
            let status = try handler()
            try metrics.duration.labels(method, route).observe(clock.now() - start)
            try metrics.requests.labels(method, route, String(status)).inc()
            return status
        }),
        ("timed before the handler runs", { method, route, metrics, clock, handler in
            metrics.inFlight.inc()
            defer { metrics.inFlight.dec() }
            try metrics.duration.labels(method, route).observe(clock.now() - clock.now())
            let status = try handler()
            try metrics.requests.labels(method, route, String(status)).inc()
            return status
        }),
        ("every answer counted as 200", { method, route, metrics, clock, handler in
            _ = try solutionInstrument(method: method, route: route, metrics: metrics, clock: clock) { _ = try handler(); return 200 }
            return 200
        }),
        ("in flight set to 1 and 0 instead of inc() and dec()", { method, route, metrics, clock, handler in
            metrics.inFlight.set(1)
            defer { metrics.inFlight.set(0) }
            return try recorded(method, route, metrics, clock, handler)
        }),
        (overlapOnly, { method, route, metrics, clock, handler in
            let before = metrics.inFlight.value
            metrics.inFlight.inc()
            defer { metrics.inFlight.set(before) }
            return try recorded(method, route, metrics, clock, handler)
        }),
        ("the handler's error swallowed and 500 returned", { method, route, metrics, clock, handler in
            (try? solutionInstrument(method: method, route: route, metrics: metrics, clock: clock, handler: handler)) ?? 500
        }),
        ("a thrown error counted with the code \"error\"", { method, route, metrics, clock, handler in
            metrics.inFlight.inc()
            defer { metrics.inFlight.dec() }
            let start = clock.now()
            var code = "error"
            defer {
                try? metrics.duration.labels(method, route).observe(clock.now() - start)
                try? metrics.requests.labels(method, route, code).inc()
            }
            let status = try handler()
            code = String(status)
            return status
        }),
        ("no duration observed when the handler throws", { method, route, metrics, clock, handler in
            metrics.inFlight.inc()
            defer { metrics.inFlight.dec() }
            let start = clock.now()
            do {
                let status = try handler()
                try metrics.duration.labels(method, route).observe(clock.now() - start)
                try metrics.requests.labels(method, route, String(status)).inc()
                return status
            } catch {
                try metrics.requests.labels(method, route, "500").inc()
                throw error
            }
        }),
        ("in flight decremented twice on a throw (in the catch and in the defer)", { method, route, metrics, clock, handler in
            metrics.inFlight.inc()
            defer { metrics.inFlight.dec() }
            do {
                return try recorded(method, route, metrics, clock, handler)
            } catch {
                metrics.inFlight.dec()
                throw error
            }
        }),
        ("status codes grouped by class (\"2xx\", \"5xx\")", { method, route, metrics, clock, handler in
            metrics.inFlight.inc()
            defer { metrics.inFlight.dec() }
            let start = clock.now()
            var code = "5xx"
            defer {
                try? metrics.duration.labels(method, route).observe(clock.now() - start)
                try? metrics.requests.labels(method, route, code).inc()
            }
            let status = try handler()
            code = "\(status / 100)xx"
            return status
        }),
        ("duration rounded to milliseconds", { method, route, metrics, clock, handler in
            try solutionInstrument(method: method, route: route, metrics: metrics, clock: RoundedClock(clock), handler: handler)
        }),
        ("duration kept as a Float", { method, route, metrics, clock, handler in
            metrics.inFlight.inc()
            defer { metrics.inFlight.dec() }
            let start = Float(clock.now())
            var status = 500
            defer {
                try? metrics.duration.labels(method, route).observe(Double(Float(clock.now()) - start))
                try? metrics.requests.labels(method, route, String(status)).inc()
            }
            status = try handler()
            return status
        }),
        ("method and route swapped in the histogram's labels", { method, route, metrics, clock, handler in
            metrics.inFlight.inc()
            defer { metrics.inFlight.dec() }
            let start = clock.now()
            var status = 500
            defer {
                try? metrics.duration.labels(route, method).observe(clock.now() - start)
                try? metrics.requests.labels(method, route, String(status)).inc()
            }
            status = try handler()
            return status
        }),
        ("timed with its own monotonic clock, not the one given", { method, route, metrics, _, handler in
            try solutionInstrument(method: method, route: route, metrics: metrics, clock: MonotonicClock(), handler: handler)
        }),
        ("the duration taken from the clock's start, not the request's", { method, route, metrics, clock, handler in
            metrics.inFlight.inc()
            defer { metrics.inFlight.dec() }
            var status = 500
            defer {
                try? metrics.duration.labels(method, route).observe(clock.now() - 1_000)
                try? metrics.requests.labels(method, route, String(status)).inc()
            }
            status = try handler()
            return status
        }),
    ]

    /// The mutant that only two requests overlapping on two threads reveal.
    static let overlapOnly = "in flight put back to the value read before the request"

    /// Records the duration and the count around `handler`, as the reference does, without touching in flight.
    private static func recorded(
        _ method: String, _ route: String, _ metrics: ServiceMetrics, _ clock: any MetricsClock, _ handler: () throws -> Int
    ) throws -> Int {
        let start = clock.now()
        var status = 500
        defer {
            try? metrics.duration.labels(method, route).observe(clock.now() - start)
            try? metrics.requests.labels(method, route, String(status)).inc()
        }
        status = try handler()
        return status
    }
}

/// A clock that reads another clock's time rounded to the millisecond.
private struct RoundedClock: MetricsClock {
    let base: any MetricsClock

    init(_ base: any MetricsClock) {
        self.base = base
    }

    func now() -> Double { (base.now() * 1000).rounded() / 1000 }
}

/// A clock that reads another clock's time multiplied: what a milliseconds mistake looks like.
private struct ScaledClock: MetricsClock {
    let base: any MetricsClock
    let factor: Double

    init(_ base: any MetricsClock, by factor: Double) {
        self.base = base
        self.factor = factor
    }

    func now() -> Double { base.now() * factor }
}
