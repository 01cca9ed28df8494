import Foundation
import TestSupport
import XCTest

@testable import Instrumentation
@testable import WorkbookKit

/// The objectives Prometheus client libraries suggest for latency summaries.
let usualQuantileObjectives = [
    SummaryObjective(quantile: 0.5, error: 0.05),
    SummaryObjective(quantile: 0.9, error: 0.01),
    SummaryObjective(quantile: 0.99, error: 0.001),
]

/// Whether `value` could be the element at a rank within φ ± ε of the exact, sorted data.
///
/// Equal values share ranks, so `value` may stand for any rank from (count below it) + 1
/// to (count at or below it); it passes if that range meets [(φ − ε)n, (φ + ε)n]. A value
/// that was never observed has an empty range and fails.
func quantileRankIsWithinError(_ value: Double, sorted: [Double], objective: SummaryObjective) -> Bool {
    let below = countWhere(sorted) { $0 < value }
    let atOrBelow = countWhere(sorted) { $0 <= value }
    let n = Double(sorted.count)
    let lowestAllowed = (objective.quantile - objective.error) * n
    let highestAllowed = (objective.quantile + objective.error) * n
    return below < atOrBelow && Double(atOrBelow) >= lowestAllowed && Double(below + 1) <= highestAllowed
}

/// How many leading elements of `sorted` satisfy `predicate`, which holds for a prefix.
private func countWhere(_ sorted: [Double], _ predicate: (Double) -> Bool) -> Int {
    var low = 0
    var high = sorted.count
    while low < high {
        let middle = (low + high) / 2
        if predicate(sorted[middle]) { low = middle + 1 } else { high = middle }
    }
    return low
}

/// Accuracy, memory and edge cases of the targeted-quantiles stream.
final class QuantileStreamTests: XCTestCase {
    /// Feeds `values` to a fresh stream and checks every objective against the exact ranks.
    private func assertAccurate(
        _ values: [Double], objectives: [SummaryObjective] = usualQuantileObjectives,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        var stream = BatchedStream(objectives: objectives)
        for value in values { stream.insert(value) }
        let sorted = values.sorted()
        for objective in objectives {
            let estimate = stream.query(objective.quantile)
            XCTAssertTrue(
                quantileRankIsWithinError(estimate, sorted: sorted, objective: objective),
                "quantile \(objective.quantile) ± \(objective.error): \(estimate) is out of range",
                file: file, line: line
            )
        }
        XCTAssertEqual(stream.count, values.count, file: file, line: line)
    }

    /// `count` reproducible uniform values in [0, 1).
    private func uniformValues(_ count: Int, seed: UInt64) -> [Double] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in random.unit() }
    }

    /// The rank check must reject answers one rank outside the error, or the accuracy tests prove nothing.
    func testRankCheckRejectsValuesOutsideTheError() {
        let sorted = (1...1000).map(Double.init)
        let objective = SummaryObjective(quantile: 0.9, error: 0.01)
        XCTAssertTrue(quantileRankIsWithinError(900, sorted: sorted, objective: objective))
        XCTAssertTrue(quantileRankIsWithinError(910, sorted: sorted, objective: objective))
        XCTAssertFalse(quantileRankIsWithinError(911, sorted: sorted, objective: objective))
        XCTAssertFalse(quantileRankIsWithinError(889, sorted: sorted, objective: objective))
        XCTAssertFalse(quantileRankIsWithinError(900.5, sorted: sorted, objective: objective))
    }

    /// Uniform values spread tuples evenly; every objective must hold.
    func testUniformValuesStayWithinError() {
        assertAccurate(uniformValues(100_000, seed: 1))
    }

    /// A long right tail, as latencies have, stretches the values near the 0.99 quantile.
    func testExponentialValuesStayWithinError() {
        var random = SeededRandom(seed: 2)
        assertAccurate((0..<100_000).map { _ in random.exponential() })
    }

    /// Ascending input makes every batch a run of new maxima, a case naive merges get wrong.
    func testAscendingValuesStayWithinError() {
        assertAccurate((0..<100_000).map(Double.init))
    }

    /// Descending input makes every batch a run of new minima.
    func testDescendingValuesStayWithinError() {
        assertAccurate((0..<100_000).reversed().map(Double.init))
    }

    /// With error ≥ (1 − φ)/2 the paper's invariant lets the summary collapse; this one must not.
    func testLoneWideObjectiveStaysWithinError() {
        let objectives = [SummaryObjective(quantile: 0.9, error: 0.05)]
        var random = SeededRandom(seed: 3)
        assertAccurate(uniformValues(100_000, seed: 4), objectives: objectives)
        assertAccurate((0..<100_000).map { _ in random.exponential() }, objectives: objectives)
        assertAccurate((0..<100_000).map(Double.init), objectives: objectives)
        assertAccurate((0..<100_000).reversed().map(Double.init), objectives: objectives)
    }

    /// Equal values share ranks; the answer must still be an observed value within the error.
    func testManyEqualValuesStayWithinError() {
        var random = SeededRandom(seed: 5)
        assertAccurate((0..<50_000).map { _ in Double(random.next() % 7) })
    }

    /// Queries flush partial batches, so merges of every size must keep the invariant.
    func testEveryObjectiveHoldsBetweenQueries() {
        var stream = BatchedStream(objectives: usualQuantileObjectives)
        var random = SeededRandom(seed: 6)
        var values: [Double] = []
        for step in 1...20_000 {
            let value = random.exponential()
            values.append(value)
            stream.insert(value)
            guard step % 997 == 0 else { continue }
            let sorted = values.sorted()
            for objective in usualQuantileObjectives {
                let estimate = stream.query(objective.quantile)
                XCTAssertTrue(quantileRankIsWithinError(estimate, sorted: sorted, objective: objective), "after \(step): \(objective)")
            }
        }
    }

    /// The bound is proven for any objectives, not just the usual ones; wide errors are the risky case.
    func testRandomObjectivesStayWithinError() {
        var random = SeededRandom(seed: 13)
        let errors = [0.001, 0.01, 0.05, 0.1, 0.3]
        for trial in 0..<60 {
            let objectives = (0...(random.next() % 3)).map { _ in
                SummaryObjective(quantile: 0.01 + random.unit() * 0.98, error: errors[Int(random.next() % 5)] * (0.5 + random.unit()))
            }
            let size = Int(random.next() % 4_000) + 1
            let distinct = random.next() % 2 == 0
            let values = (0..<size).map { index in distinct ? random.unit() : Double(index % 97) }
            var stream = BatchedStream(objectives: objectives)
            for value in values { stream.insert(value) }
            let sorted = values.sorted()
            let n = Double(size)
            for objective in objectives {
                let estimate = stream.query(objective.quantile)
                // Only ranks 1...n exist; the allowed range may hold none of them.
                let lowestRank = max(1, ((objective.quantile - objective.error) * n).rounded(.up))
                guard lowestRank <= min(n, (objective.quantile + objective.error) * n) else { continue }
                XCTAssertTrue(quantileRankIsWithinError(estimate, sorted: sorted, objective: objective), "trial \(trial): \(objective)")
            }
        }
    }

    /// Before the first full batch and just after it, answers come from few tuples.
    func testSmallStreamsAreAccurateWhereRanksAllowIt() {
        var random = SeededRandom(seed: 7)
        for size in 1...120 {
            var stream = BatchedStream(objectives: usualQuantileObjectives)
            var values: [Double] = []
            for _ in 0..<size {
                let value = random.unit()
                values.append(value)
                stream.insert(value)
            }
            let sorted = values.sorted()
            for objective in usualQuantileObjectives {
                let estimate = stream.query(objective.quantile)
                // With few observations the allowed range may hold no rank at all.
                let n = Double(size)
                let lowestRank = max(1, ((objective.quantile - objective.error) * n).rounded(.up))
                if lowestRank <= min(n, (objective.quantile + objective.error) * n) {
                    XCTAssertTrue(quantileRankIsWithinError(estimate, sorted: sorted, objective: objective), "\(size) values, \(objective)")
                }
                XCTAssertTrue(sorted.contains(estimate), "\(size) values: \(estimate) was never observed")
            }
        }
    }

    /// Memory must not grow with the observation count; about 40 tuples were measured here.
    func testTupleCountStaysFarBelowObservationCount() {
        var stream = BatchedStream(objectives: usualQuantileObjectives)
        for value in uniformValues(100_000, seed: 8) { stream.insert(value) }
        _ = stream.query(0.5)
        XCTAssertLessThan(stream.tupleCount, 100)
    }

    /// An empty stream has no quantiles, which the exposition shows as NaN.
    func testEmptyStreamReportsNaN() {
        var stream = BatchedStream(objectives: usualQuantileObjectives)
        XCTAssertTrue(stream.query(0.5).isNaN)
        XCTAssertEqual(stream.count, 0)
    }

    /// The window reuses streams after a reset, so nothing may survive it.
    func testResetForgetsEverything() {
        var stream = BatchedStream(objectives: usualQuantileObjectives)
        for value in uniformValues(1_234, seed: 9) { stream.insert(value) }
        XCTAssertEqual(stream.count, 1_234)
        stream.reset()
        XCTAssertEqual(stream.count, 0)
        XCTAssertTrue(stream.query(0.99).isNaN)
        stream.insert(42)
        XCTAssertEqual(stream.query(0.5), 42)
    }

    /// With one observation every quantile is that observation.
    func testSingleValueAnswersEveryQuantile() {
        var stream = BatchedStream(objectives: usualQuantileObjectives)
        stream.insert(-3.5)
        for objective in usualQuantileObjectives {
            XCTAssertEqual(stream.query(objective.quantile), -3.5)
        }
        XCTAssertEqual(stream.count, 1)
    }


    /// Quantiles 0 and 1 are answered by the kept extremes, exactly.
    func testQuantilesZeroAndOneAreTheExactExtremes() {
        let objectives = [
            SummaryObjective(quantile: 0, error: 0.01),
            SummaryObjective(quantile: 0.5, error: 0.05),
            SummaryObjective(quantile: 1, error: 0.01),
        ]
        var stream = BatchedStream(objectives: objectives)
        let values = uniformValues(30_000, seed: 11)
        for value in values { stream.insert(value) }
        XCTAssertEqual(stream.query(0), values.min())
        XCTAssertEqual(stream.query(1), values.max())
    }


}

/// Feeds a stream as `QuantileWindow` does: observations collect in a buffer and merge in
/// sorted batches of `QuantileStream.batchSize`, and a query merges what is pending first.
private struct BatchedStream {
    private(set) var stream: QuantileStream
    private var pending: [Double] = []

    init(objectives: [SummaryObjective]) {
        stream = QuantileStream(objectives: objectives)
    }

    var count: Int { stream.count + pending.count }
    var tupleCount: Int { stream.tupleCount }

    mutating func insert(_ value: Double) {
        pending.append(value)
        if pending.count >= QuantileStream.batchSize { merge() }
    }

    mutating func query(_ quantile: Double) -> Double {
        merge()
        return stream.query(quantile)
    }

    mutating func reset() {
        pending.removeAll()
        stream.reset()
    }

    private mutating func merge() {
        pending.sort()
        pending.withUnsafeBufferPointer { stream.insert(sorted: $0) }
        pending.removeAll(keepingCapacity: true)
    }
}
