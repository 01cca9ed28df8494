import Dispatch
import XCTest

@testable import Instrumentation

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

    /// Threads started one after another get neighbouring stacks; with the default 8 MiB
    /// stacks (plus a guard page) or 1 MiB ones, neighbours must record into different
    /// stripes, whatever the stacks' placement and as deep as the threads are.
    func testNeighbouringThreadStacksGetDifferentStripes() {
        let page: UInt = 4_096
        for stackSize: UInt in [8 << 20, 1 << 20] {
            for gap in [stackSize, stackSize + page] {
                var sameStripe = 0
                var address: UInt = 0x7F00_0000_0000
                while address < 0x7F00_0000_0000 + 64 << 20 {
                    if Stripes.stripe(forStackAddress: address) == Stripes.stripe(forStackAddress: address - gap) { sameStripe += 1 }
                    address += page
                }
                XCTAssertEqual(sameStripe, 0, "stacks \(gap) bytes apart")
            }
        }
        let stripes = Set((0..<64).map { Stripes.stripe(forStackAddress: 0x7F00_0000_0000 - UInt($0) * (8 << 20 + 4_096)) })
        XCTAssertEqual(stripes, Set(0..<Stripes.count), "every stripe is used")
    }
}

/// Snapshots taken on one thread, read after.
private final class SnapshotLog: @unchecked Sendable {
    private(set) var all: [HistogramSnapshot] = []
    var count: Int { all.count }
    func append(_ snapshot: HistogramSnapshot) { all.append(snapshot) }
}
