import Foundation
import Platform
import Instrumentation
import HTTP
import WorkbookKit

/// A small pretend shop API, instrumented with the RED metrics.
///
/// Each route does "work" for a while (a sleep whose length follows a realistic shape:
/// mostly quick, with a long tail) and sometimes fails. Every request goes through the
/// same instrumentation: the reference answer to this lesson's exercise, so the service and its
/// dashboards work before the exercise is done.
struct ShopService: Sendable {
    let metrics: ServiceMetrics
    /// Multiplies every simulated work time: 1 for a live server, smaller for a quick demo.
    let workScale: Double
    private let random: Locked<SeededRandom>

    /// One route: its path template, its typical work time in seconds, and how often it fails.
    struct Route: Sendable {
        let template: String
        let typicalSeconds: Double
        let failureRate: Double
    }

    /// The routes, each with a latency profile that makes the dashboards interesting.
    static let routes = [
        Route(template: "/", typicalSeconds: 0.01, failureRate: 0),
        Route(template: "/api/orders", typicalSeconds: 0.08, failureRate: 0.01),
        Route(template: "/api/orders/:id", typicalSeconds: 0.04, failureRate: 0.02),
        Route(template: "/api/search", typicalSeconds: 0.12, failureRate: 0.01),
        Route(template: "/api/checkout", typicalSeconds: 0.2, failureRate: 0.08),
    ]

    init(metrics: ServiceMetrics, workScale: Double = 1, seed: UInt64 = 10) throws {
        self.metrics = metrics
        self.workScale = workScale
        random = Locked(SeededRandom(seed: seed))
        // Create every series the service will write before the first request, at zero.
        // A series that first appears with value 1 has no earlier sample, so rate() and
        // increase() cannot count that first request, and an error ratio stays empty
        // until the second error.
        for route in Self.routes {
            _ = try metrics.duration.labels("GET", route.template)
            for code in ["200", "500"] { _ = try metrics.requests.labels("GET", route.template, code) }
        }
    }

    /// The route template a path belongs to: ids become `:id`, so one label value stands for
    /// every order instead of one series per order (lesson 4's lesson).
    static func route(for path: String) -> Route? {
        let parts = path.split(separator: "/")
        let template = parts.isEmpty ? "/" : "/" + parts.map { $0.allSatisfy(\.isNumber) ? ":id" : String($0) }.joined(separator: "/")
        return routes.first { $0.template == template }
    }

    /// Answers a request, or nil for a path that is not the shop's (the server answers 404).
    func handle(_ request: HTTPRequest) -> HTTPResponse? {
        guard let route = Self.route(for: request.path) else { return nil }
        let (seconds, fails) = random.withLock { random in
            (Self.workTime(route, &random), random.unit() < route.failureRate)
        }
        let status = (try? solutionInstrument(method: request.method, route: route.template, metrics: metrics, clock: MonotonicClock()) {
            Thread.sleep(forTimeInterval: seconds * workScale)
            return fails ? 500 : 200
        }) ?? 500
        return HTTPResponse.text(status == 200 ? "ok: \(route.template)\n" : "something went wrong\n", status: status)
    }

    /// A work time: around the route's typical time, with an exponential tail (a few slow ones).
    static func workTime(_ route: Route, _ random: inout SeededRandom) -> Double {
        route.typicalSeconds * (0.5 + random.exponential())
    }
}
