import Instrumentation
import WorkbookKit

/// Simulated users for `lesson serve`: a few requests a second, recorded without the network.
enum ServiceTraffic {
    /// Records one second of traffic: one to six requests on random routes, with the
    /// routes' usual work times and failures, and a slow spell every few minutes so the
    /// latency and Apdex panels have something to show.
    static func simulate(_ registry: Registry, tick: Int) throws {
        let metrics = try ServiceMetrics(registry: registry)
        var random = SeededRandom(seed: UInt64(tick) &* 0x9E37_79B9 &+ 1)
        let slowSpell = tick % 300 >= 240
        for _ in 0..<(1 + random.next(below: 6)) {
            let route = ShopService.routes[Int(random.next(below: UInt64(ShopService.routes.count)))]
            let seconds = ShopService.workTime(route, &random) * (slowSpell ? 4 : 1)
            let failed = random.unit() < route.failureRate * (slowSpell ? 3 : 1)
            let clock = ManualClock(0)
            _ = try solutionInstrument(method: "GET", route: route.template, metrics: metrics, clock: clock) {
                clock.advance(by: seconds)
                return failed ? 500 : 200
            }
        }
    }
}
