import Dispatch
import XCTest

@testable import Instrumentation

/// A family's lock is held only briefly: collections read the children after it, children
/// are made before it. These tests check that nothing is lost or reordered on the way.
final class FamilyLockTests: XCTestCase {

    func testCollectWhileChildrenAreCreatedGivesSortedGrowingSnapshotsAndLosesNoChild() throws {
        let registry = Registry()
        let family = try registry.makeCounterFamily(name: "jobs", help: "Jobs.", labelNames: ["queue", "worker"])
        let existing = 3_000
        let added = 3_000
        for index in 0..<existing { try family.labels(label(index), "old").inc() }
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            for index in 0..<added { try! family.labels(label(index), "new").inc() }
            done.signal()
        }
        var previousCount = 0
        var snapshots = 0
        var finished = false
        while !finished {
            finished = done.wait(timeout: .now()) == .success
            let series = family.collect().series
            snapshots += 1
            XCTAssertGreaterThanOrEqual(series.count, max(existing, previousCount), "a collection never loses a child")
            XCTAssertTrue(isStrictlySorted(series), "series are sorted by label values, each once")
            let old = series.filter { $0.labelValues[1] == "old" }
            XCTAssertEqual(old.count, existing)
            XCTAssertTrue(old.allSatisfy { $0.value == .counter(1) })
            previousCount = series.count
        }
        XCTAssertGreaterThan(snapshots, 1)
        let final = family.collect().series
        XCTAssertEqual(final.count, existing + added)
        XCTAssertTrue(isStrictlySorted(final))
        XCTAssertTrue(final.allSatisfy { $0.value == .counter(1) })
    }

    func testThreadsCreatingTheSameChildrenAtOnceGetOneChildEach() throws {
        let family = try Registry().makeCounterFamily(name: "hits", help: "Hits.", labelNames: ["path"])
        let threads = 4
        let labelSets = 2_000
        let children = ChildLog()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            var mine: [Counter] = []
            for index in 0..<labelSets {
                let child = try! family.labels(label(index))
                child.inc()
                mine.append(child)
            }
            children.append(mine)
        }
        let all = children.all
        for index in 0..<labelSets {
            XCTAssertTrue(all.allSatisfy { $0[index] === all[0][index] }, "every thread got the same child for \(label(index))")
        }
        let series = family.collect().series
        XCTAssertEqual(series.count, labelSets)
        XCTAssertTrue(series.allSatisfy { $0.value == .counter(Double(threads)) }, "no increment went to a child thrown away")
    }

    func testLookupsFindEveryChildAcrossChunksAfterGrowthAndRemoval() throws {
        let family = try Registry().makeGaugeFamily(name: "level", help: "Level.", labelNames: ["tank"])
        let count = ChildTable.chunkCapacity * 5 + 7
        var children: [Gauge] = []
        for index in 0..<count {
            let child = try family.labels(label(index))
            child.set(Double(index))
            children.append(child)
        }
        for index in stride(from: 0, to: count, by: 3) { XCTAssertTrue(family.remove(labels: [label(index)])) }
        XCTAssertFalse(family.remove(labels: [label(0)]))
        for index in 0..<count where index % 3 != 0 {
            XCTAssertTrue(try family.labels(label(index)) === children[index], "child \(index) is found after removals")
        }
        let recreated = try family.labels(label(0))
        XCTAssertFalse(recreated === children[0], "a removed child comes back as a new series")
        let series = family.collect().series
        XCTAssertEqual(series.count, count - (count + 2) / 3 + 1)
        XCTAssertTrue(isStrictlySorted(series))
        for snapshot in series where snapshot.labelValues != [label(0)] {
            XCTAssertEqual(snapshot.value, .gauge(Double(Int(snapshot.labelValues[0].dropFirst(6))!)))
        }
        family.removeAll()
        XCTAssertEqual(family.collect().series.count, 0)
        XCTAssertFalse(try family.labels(label(1)) === children[1])
        XCTAssertEqual(family.collect().series.map(\.labelValues), [[label(1)]])
    }

    func testCollectKeepsLabelValueOrderWhileChildrenAreRemovedAndAdded() throws {
        let family = try Registry().makeCounterFamily(name: "calls", help: "Calls.", labelNames: ["method"])
        for index in 0..<1_000 { try family.labels(label(index)).inc() }
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            for round in 0..<20 {
                for index in stride(from: round % 2, to: 1_000, by: 2) { family.remove(labels: [label(index)]) }
                for index in stride(from: round % 2, to: 1_000, by: 2) { try! family.labels(label(index)).inc() }
            }
            done.signal()
        }
        var finished = false
        while !finished {
            finished = done.wait(timeout: .now()) == .success
            let series = family.collect().series
            XCTAssertTrue(isStrictlySorted(series))
            XCTAssertGreaterThanOrEqual(series.count, 500, "half the children stay while the other half is replaced")
        }
        let final = family.collect().series
        XCTAssertEqual(final.map(\.labelValues), (0..<1_000).map { [label($0)] }.sorted { $0.lexicographicallyPrecedes($1) })
    }

    func testSummaryObservedWhileReadLosesNoObservation() throws {
        let summary = try Registry().makeSummary(
            name: "latency_seconds", help: "Latency.", objectives: [SummaryObjective(quantile: 0.5, error: 0.01)])
        let threads = 2
        let perThread = 20_000
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                for step in 0..<perThread { summary.observe(Double(step % 1_000)) }
            }
            done.signal()
        }
        var finished = false
        while !finished {
            finished = done.wait(timeout: .now()) == .success
            let snapshot = summary.snapshot
            XCTAssertLessThanOrEqual(snapshot.count, UInt64(threads * perThread))
        }
        let snapshot = summary.snapshot
        XCTAssertEqual(snapshot.count, UInt64(threads * perThread))
        let median = try XCTUnwrap(snapshot.quantiles.first?.value)
        XCTAssertEqual(median, 500, accuracy: 20, "the median of 0…999 observed evenly, within the allowed rank error")
    }

    private func isStrictlySorted(_ series: [SeriesSnapshot]) -> Bool {
        zip(series, series.dropFirst()).allSatisfy { $0.labelValues.lexicographicallyPrecedes($1.labelValues) }
    }
}

/// The label value for `index`: "value-12".
private func label(_ index: Int) -> String {
    "value-\(index)"
}

/// What each thread got back, gathered under a lock.
private final class ChildLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lists: [[Counter]] = []

    func append(_ list: [Counter]) {
        lock.withLock { lists.append(list) }
    }

    var all: [[Counter]] {
        lock.withLock { lists }
    }
}
