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
        XCTAssertEqual(report.results.count, 6)
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
    ]
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
