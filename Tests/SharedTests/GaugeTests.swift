import XCTest

@testable import Instrumentation

final class GaugeTests: XCTestCase {
    func testGoesUpAndDown() throws {
        let gauge = try Registry().makeGauge(name: "queue_length", help: "Jobs waiting.")
        gauge.set(10)
        gauge.inc()
        gauge.dec()
        gauge.dec()
        gauge.add(-2.5)
        gauge.add(0.25)
        XCTAssertEqual(gauge.value, 6.75)
    }

    func testSetToCurrentTimeReadsTheRegistryClock() throws {
        let clock = ManualClock(1_700_000_000.5)
        let gauge = try Registry(clock: clock).makeGauge(name: "last_run_timestamp_seconds", help: "Last run.")
        gauge.setToCurrentTime()
        XCTAssertEqual(gauge.value, 1_700_000_000.5)
        clock.advance(by: 60)
        gauge.setToCurrentTime()
        XCTAssertEqual(gauge.value, 1_700_000_060.5)
    }

    func testAcceptsInfinitiesAndNaN() throws {
        let registry = Registry()
        let gauge = try registry.makeGaugeFamily(name: "reading", help: "A reading.", labelNames: ["sensor"])
        try gauge.labels("a").set(.infinity)
        try gauge.labels("b").set(-.infinity)
        try gauge.labels("c").set(.nan)
        XCTAssertEqual(
            PrometheusTextEncoder().render(registry),
            """
            # HELP reading A reading.
            # TYPE reading gauge
            reading{sensor="a"} +Inf
            reading{sensor="b"} -Inf
            reading{sensor="c"} NaN

            """)
    }
}
