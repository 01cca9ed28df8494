import TestSupport
import XCTest

@testable import Instrumentation
@testable import WorkbookKit

/// Expiry, rotation and batching of the summary's sliding window, with time passed in.
final class QuantileWindowTests: XCTestCase {
    /// Ten minutes in five buckets, as Prometheus clients default to: one reset every 120 s.
    private func makeWindow(
        objectives: [SummaryObjective] = usualQuantileObjectives, ageBuckets: Int = 5, now: Double = 0
    ) -> QuantileWindow {
        QuantileWindow(objectives: objectives, maxAge: 600, ageBuckets: ageBuckets, now: now)
    }

    /// An empty window reports one NaN per objective.
    func testEmptyWindowReportsNaNForEveryObjective() {
        var window = makeWindow()
        let values = window.quantiles(at: 0)
        XCTAssertEqual(values.count, usualQuantileObjectives.count)
        XCTAssertTrue(values.allSatisfy(\.isNaN))
    }

    /// During the first maxAge the head holds everything; after it, the observation is gone.
    func testObservationStopsCountingOnceOlderThanMaxAge() {
        var window = makeWindow()
        window.observe(5, at: 0)
        XCTAssertEqual(window.quantiles(at: 599), [5, 5, 5])
        XCTAssertTrue(window.quantiles(at: 600.001).allSatisfy(\.isNaN))
    }

    /// An observation stays visible for at least maxAge − maxAge/ageBuckets and at most maxAge.
    func testObservationCountsForAtLeastMaxAgeMinusOneBucket() {
        var window = makeWindow()
        window.observe(5, at: 1_000)
        XCTAssertEqual(window.quantiles(at: 1_000 + 480), [5, 5, 5])
        XCTAssertTrue(window.quantiles(at: 1_000 + 600).allSatisfy(\.isNaN))
    }

    /// Both window bounds, at random observation times and ages, boundaries included.
    func testEveryObservationIsCountedExactlyWhileItsAgeRequires() {
        var random = SeededRandom(seed: 20)
        for _ in 0..<300 {
            var window = makeWindow()
            let observedAt = Double(random.next() % 5_000)
            let age = Double(random.next() % 700)
            window.observe(1, at: observedAt)
            let counted = !window.quantiles(at: observedAt + age)[0].isNaN
            if age <= 480 { XCTAssertTrue(counted, "observed at \(observedAt), age \(age)") }
            if age >= 600 { XCTAssertFalse(counted, "observed at \(observedAt), age \(age)") }
        }
    }

    /// Old low values must drop out of every quantile while newer high ones stay.
    func testOnlyRecentObservationsShowAfterOldOnesExpire() {
        let objectives = [
            SummaryObjective(quantile: 0.1, error: 0.01),
            SummaryObjective(quantile: 0.5, error: 0.05),
            SummaryObjective(quantile: 0.9, error: 0.01),
        ]
        var window = makeWindow(objectives: objectives)
        var random = SeededRandom(seed: 21)
        for step in 0..<2_000 {
            window.observe(random.unit(), at: Double(step) * 0.05)
        }
        for step in 0..<2_000 {
            window.observe(100 + random.unit(), at: 400 + Double(step) * 0.05)
        }
        let mixed = window.quantiles(at: 500)
        XCTAssertLessThan(mixed[0], 1)
        XCTAssertGreaterThanOrEqual(mixed[2], 100)
        let recent = window.quantiles(at: 700)
        XCTAssertTrue(recent.allSatisfy { $0 >= 100 && $0 < 101 }, "\(recent)")
    }

    /// Values still collected when a rotation falls due belong in the streams that survive it.
    func testCollectedObservationsSurviveARotation() {
        var window = makeWindow()
        for _ in 0..<100 { window.observe(1, at: 10) }
        window.observe(1_000, at: 130)
        XCTAssertEqual(window.quantiles(at: 130)[0], 1)
        XCTAssertTrue(window.quantiles(at: 610).allSatisfy { $0 == 1_000 })
    }

    /// After a ten-day gap the resets continue on the original schedule.
    func testLongGapRotatesToTheRightSchedule() {
        let tenDays = 864_000.0
        var window = makeWindow()
        window.observe(1, at: 0)
        window.observe(2, at: tenDays)
        XCTAssertEqual(window.quantiles(at: tenDays), [2, 2, 2])
        window.observe(3, at: tenDays + 300)
        XCTAssertEqual(window.quantiles(at: tenDays + 480)[2], 3)
        XCTAssertEqual(window.quantiles(at: tenDays + 480)[0], 2)
        XCTAssertEqual(window.quantiles(at: tenDays + 600), [3, 3, 3])
        XCTAssertTrue(window.quantiles(at: tenDays + 900).allSatisfy(\.isNaN))
    }

    /// Rotation must cost O(ageBuckets) however long the gap.
    func testHugeGapCostsNoMoreThanOneResetPerBucket() {
        // A rotation loop per elapsed period would take billions of steps here.
        var window = QuantileWindow(objectives: usualQuantileObjectives, maxAge: 1, ageBuckets: 5, now: 0)
        window.observe(1, at: 0)
        window.observe(7, at: 1e9)
        XCTAssertEqual(window.quantiles(at: 1e9), [7, 7, 7])
        XCTAssertTrue(window.quantiles(at: 1e9 + 1).allSatisfy(\.isNaN))
    }

    /// One bucket turns the sliding window into a tumbling one.
    func testSingleBucketForgetsEverythingEachMaxAge() {
        var window = makeWindow(ageBuckets: 1)
        window.observe(4, at: 0)
        window.observe(4, at: 599)
        XCTAssertEqual(window.quantiles(at: 599), [4, 4, 4])
        XCTAssertTrue(window.quantiles(at: 600).allSatisfy(\.isNaN))
    }

    /// A clock stepping back must not rotate or lose observations.
    func testTimeGoingBackwardsKeepsObservations() {
        var window = makeWindow()
        window.observe(3, at: 100)
        window.observe(3, at: 50)
        XCTAssertEqual(window.quantiles(at: 60), [3, 3, 3])
    }

    /// The window's batched path must keep the streams' accuracy.
    func testWindowQuantilesStayWithinError() {
        var window = makeWindow()
        var random = SeededRandom(seed: 22)
        var values: [Double] = []
        for step in 0..<100_000 {
            let value = random.exponential()
            values.append(value)
            window.observe(value, at: Double(step) * 0.001)
        }
        let sorted = values.sorted()
        let estimates = window.quantiles(at: 100)
        for (objective, estimate) in zip(usualQuantileObjectives, estimates) {
            XCTAssertTrue(quantileRankIsWithinError(estimate, sorted: sorted, objective: objective), "\(objective): \(estimate)")
        }
    }

    /// NaN has no rank: it must not make an empty window look non-empty.
    func testNaNObservationsAreIgnored() {
        var window = makeWindow()
        window.observe(.nan, at: 1)
        XCTAssertTrue(window.quantiles(at: 1).allSatisfy(\.isNaN))
        window.observe(2, at: 1)
        window.observe(.nan, at: 1)
        XCTAssertEqual(window.quantiles(at: 1), [2, 2, 2])
    }
}
