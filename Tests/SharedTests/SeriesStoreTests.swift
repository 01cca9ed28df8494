import TimeSeries
import XCTest

/// The store's rules for appending and forgetting, and the memory a full window costs.
final class SeriesStoreTests: XCTestCase {
    private let up = LabelSet(name: "up", ["job": "workbook"])
    private let gone = LabelSet(name: "up", ["job": "gone"])

    private func samples(_ store: SeriesStore, _ labels: LabelSet) -> [StoredSample] {
        store.select([try! LabelMatcher(LabelSet.metricNameLabel, .equal, labels.metricName)])
            .first { $0.labels == labels }?.samples ?? []
    }

    func testOutOfOrderIsRefusedAndAnExactRepeatIgnored() {
        let store = SeriesStore()
        XCTAssertTrue(store.append(up, timestamp: 2_000, value: 1))
        XCTAssertFalse(store.append(up, timestamp: 1_000, value: 1), "older than the newest")
        XCTAssertTrue(store.append(up, timestamp: 2_000, value: 1), "the same sample again")
        XCTAssertFalse(store.append(up, timestamp: 2_000, value: 0), "same time, another value")
        XCTAssertEqual(samples(store, up), [StoredSample(timestamp: 2_000, value: 1)])
        XCTAssertEqual(store.append(up, samples: [.init(timestamp: 1_500, value: 3), .init(timestamp: 3_000, value: 4)]), 1)
        XCTAssertEqual(samples(store, up).map(\.timestamp), [2_000, 3_000])
    }

    /// Trimming keeps exactly the samples at or after the cutoff, in order, and forgets a
    /// series with none left, from the name index too.
    func testTrimmingKeepsTheWindowAndForgetsEmptiedSeries() {
        let store = SeriesStore()
        var random = SystemRandomNumberGenerator()
        var expected: [StoredSample] = []
        var time: Int64 = 0
        for _ in 0..<500 {
            time += Int64.random(in: 1...3_000, using: &random)
            let value = Double.random(in: -1e6...1e6, using: &random)
            store.append(up, timestamp: time, value: value)
            expected.append(StoredSample(timestamp: time, value: value))
        }
        store.append(gone, timestamp: 0, value: 1)
        var cutoff: Int64 = 0
        while cutoff <= time {
            cutoff += Int64.random(in: 1...40_000, using: &random)
            let goneBefore = samples(store, gone).count
            let before = expected.count
            expected.removeAll { $0.timestamp < cutoff }
            XCTAssertEqual(store.removeSamples(before: cutoff), before - expected.count + goneBefore, "cutoff \(cutoff)")
            XCTAssertEqual(samples(store, up), expected, "cutoff \(cutoff)")
            XCTAssertEqual(samples(store, gone), [])
        }
        XCTAssertEqual(store.size.series, 0)
        XCTAssertTrue(store.select([try! LabelMatcher(LabelSet.metricNameLabel, .equal, "up")]).isEmpty)
    }

    /// A series whose window is full, appended to and trimmed for many rounds as `serve all`
    /// does, keeps one buffer with at most an eighth (or 16 samples) of spare room.
    func testAFullWindowCyclesWithinABoundedBuffer() {
        let store = SeriesStore()
        let window: Int64 = 720, step: Int64 = 5_000
        var time: Int64 = 0
        for round in 0..<300 {
            for _ in 0..<6 {
                time += step
                store.append(up, timestamp: time, value: Double(time))
            }
            store.removeSamples(before: time - (window - 1) * step)
            let kept = samples(store, up)
            XCTAssertEqual(kept.count, Int(min(window, time / step)), "round \(round)")
            XCTAssertEqual(kept.last?.timestamp, time)
            XCTAssertLessThanOrEqual(kept.capacity, Int(window) + 6 + max(16, (Int(window) + 6) / 8), "round \(round)")
        }
    }

    /// What a reader selected stays as it was when the store trims and appends after.
    func testASelectionIsNotChangedByLaterTrimsAndAppends() {
        let store = SeriesStore()
        for time in stride(from: Int64(1_000), through: 100_000, by: 1_000) { store.append(up, timestamp: time, value: Double(time)) }
        let held = samples(store, up)
        store.removeSamples(before: 50_000)
        store.append(up, timestamp: 101_000, value: 0)
        XCTAssertEqual(held.count, 100)
        XCTAssertEqual(held.first?.timestamp, 1_000)
        XCTAssertEqual(samples(store, up).count, 52)
    }
}
