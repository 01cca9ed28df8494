import Dispatch
import XCTest

@testable import Shared

/// Several threads recording into one metric lose nothing.
private let threads = 4
private let perThread = 100_000

final class ConcurrencyTests: XCTestCase {

    func testCounterLosesNoIncrement() throws {
        let counter = try Registry().makeCounter(name: "c", help: "C.")
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for step in 0..<perThread {
                if step.isMultiple(of: 4) { counter.inc(by: 0.5) } else { counter.inc() }
            }
        }
        let wholeSteps = Double(threads * perThread * 3 / 4)
        let halfSteps = Double(threads * perThread / 4) * 0.5
        XCTAssertEqual(counter.value, wholeSteps + halfSteps)
    }

    func testGaugeAddsFromManyThreadsLoseNothing() throws {
        let gauge = try Registry().makeGauge(name: "g", help: "G.")
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for _ in 0..<perThread { if thread.isMultiple(of: 2) { gauge.inc() } else { gauge.add(-0.5) } }
        }
        XCTAssertEqual(gauge.value, Double(threads / 2 * perThread) * 0.5)
    }

    func testHistogramCountMatchesInfBucketInEverySnapshotWhileRecording() throws {
        let histogram = try Registry().makeHistogram(name: "h", help: "H.", buckets: [0.25, 0.5, 0.75])
        let done = DispatchSemaphore(value: 0)
        let snapshots = SnapshotLog()
        DispatchQueue.global().async {
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                for step in 0..<perThread { histogram.observe(Double(step % 4) * 0.25) }
            }
            done.signal()
        }
        var finished = false
        while !finished {
            snapshots.append(histogram.snapshot)
            finished = done.wait(timeout: .now()) == .success
        }
        XCTAssertGreaterThan(snapshots.count, 1)
        for snapshot in snapshots.all {
            XCTAssertEqual(snapshot.count, snapshot.cumulativeCounts.last)
            XCTAssertEqual(snapshot.cumulativeCounts, snapshot.cumulativeCounts.sorted(), "cumulative buckets never decrease")
        }
        let final = histogram.snapshot
        let total = UInt64(threads * perThread)
        // Values 0, 0.25, 0.5, 0.75 in equal numbers: le=0.25 holds two of them, le=0.5 three, le=0.75 all.
        XCTAssertEqual(final.cumulativeCounts, [total / 2, total * 3 / 4, total, total])
        XCTAssertEqual(final.sum, Double(total / 4) * (0.25 + 0.5 + 0.75))
    }

    func testSummaryLosesNoObservation() throws {
        let summary = try Registry().makeSummary(
            name: "s", help: "S.", objectives: [SummaryObjective(quantile: 0.5, error: 0.05), SummaryObjective(quantile: 0.99, error: 0.001)])
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for step in 0..<perThread { summary.observe(Double(step % 100)) }
        }
        let snapshot = summary.snapshot
        XCTAssertEqual(snapshot.count, UInt64(threads * perThread))
        XCTAssertEqual(snapshot.sum, Double(threads * perThread / 100) * 4_950)
        // Values 0…99 uniformly: the median's rank must be within 5% (value 45…55), the 0.99 within 0.1%.
        XCTAssertEqual(snapshot.quantiles[0].value, 49.5, accuracy: 5.5)
        XCTAssertEqual(snapshot.quantiles[1].value, 98.5, accuracy: 1)
    }

    func testFamilyHandsOutOneChildPerLabelSetUnderRace() throws {
        let family = try Registry().makeCounterFamily(name: "c", help: "C.", labelNames: ["k"])
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for step in 0..<10_000 { try? family.labels("\(step % 10)").inc() }
        }
        let series = family.collect().series
        XCTAssertEqual(series.count, 10)
        XCTAssertTrue(series.allSatisfy { $0.value == .counter(Double(threads * 1_000)) })
    }
}

/// Snapshots taken on one thread, read after.
private final class SnapshotLog: @unchecked Sendable {
    private(set) var all: [HistogramSnapshot] = []
    var count: Int { all.count }
    func append(_ snapshot: HistogramSnapshot) { all.append(snapshot) }
}
