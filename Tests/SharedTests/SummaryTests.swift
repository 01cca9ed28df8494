import XCTest

@testable import Instrumentation

final class SummaryTests: XCTestCase {
    func testWithoutObjectivesOnlySumAndCount() throws {
        let registry = Registry()
        let summary = try registry.makeSummary(name: "rpc_duration_seconds", help: "RPC latency.")
        summary.observe(0.25)
        summary.observe(1.5)
        XCTAssertEqual(summary.snapshot, SummarySnapshot(quantiles: [], sum: 1.75, count: 2))
        XCTAssertEqual(
            PrometheusTextEncoder().render(registry),
            """
            # HELP rpc_duration_seconds RPC latency.
            # TYPE rpc_duration_seconds summary
            rpc_duration_seconds_sum 1.75
            rpc_duration_seconds_count 2

            """)
    }

    func testQuantilesAreNaNWhileTheWindowIsEmptyAndSumCountKeepCounting() throws {
        let clock = ManualClock(1_000)
        let summary = try Registry(clock: clock).makeSummary(
            name: "rpc_duration_seconds", help: "RPC latency.",
            objectives: [SummaryObjective(quantile: 0.5, error: 0.05)], maxAge: 60, ageBuckets: 3)
        XCTAssertTrue(summary.snapshot.quantiles[0].value.isNaN)
        summary.observe(3)
        XCTAssertEqual(summary.snapshot.quantiles, [QuantileValue(quantile: 0.5, value: 3)])
        clock.advance(by: 61)
        let expired = summary.snapshot
        XCTAssertTrue(expired.quantiles[0].value.isNaN, "an observation older than maxAge must not count")
        XCTAssertEqual(expired.count, 1)
        XCTAssertEqual(expired.sum, 3)
    }

    func testTheWindowForgetsOldObservations() throws {
        let clock = ManualClock(0)
        let summary = try Registry(clock: clock).makeSummary(
            name: "latency_seconds", help: "Latency.",
            objectives: [SummaryObjective(quantile: 0.5, error: 0.01), SummaryObjective(quantile: 0.99, error: 0.001)])
        // Ten minutes of slow requests, then the default window (10 minutes) of fast ones.
        for second in 0..<600 {
            clock.set(to: Double(second))
            summary.observe(5)
        }
        for second in 600..<1_200 {
            clock.set(to: Double(second))
            summary.observe(0.1)
        }
        clock.set(to: 1_200)
        XCTAssertEqual(summary.snapshot.quantiles.map(\.value), [0.1, 0.1], "nothing from the slow first ten minutes is left")
        XCTAssertEqual(summary.snapshot.count, 1_200)
    }

    func testObjectivesAreSortedAndValidated() throws {
        let registry = Registry()
        let summary = try registry.makeSummary(
            name: "s", help: "S.", objectives: [SummaryObjective(quantile: 0.9, error: 0.01), SummaryObjective(quantile: 0.5, error: 0.05)])
        XCTAssertEqual(summary.objectives.map(\.quantile), [0.5, 0.9])
        let cases: [([SummaryObjective], Double, Int, String)] = [
            ([SummaryObjective(quantile: 1.5, error: 0.01)], 600, 5,
             "summary t: invalid objective: quantile 1.5 must be between 0 and 1, exclusive (0.5 is the median, 0.99 the 99th percentile)"),
            ([SummaryObjective(quantile: 0.5, error: 0)], 600, 5,
             "summary t: invalid objective: allowed error 0.0 for quantile 0.5 must be between 0 and 1, exclusive (0.01 means rank within ±1%)"),
            ([SummaryObjective(quantile: 0.5, error: 0.1), SummaryObjective(quantile: 0.5, error: 0.01)], 600, 5,
             "summary t: invalid objective: quantile 0.5 is listed twice"),
            ([], 0, 5, "summary t: invalid window: maxAge must be a positive number of seconds, got 0.0"),
            ([], 600, 0, "summary t: invalid window: ageBuckets must be at least 1, got 0"),
        ]
        for (objectives, maxAge, ageBuckets, message) in cases {
            XCTAssertThrowsError(try registry.makeSummary(name: "t", help: "T.", objectives: objectives, maxAge: maxAge, ageBuckets: ageBuckets)) {
                XCTAssertEqual("\($0)", message)
            }
        }
    }
}
