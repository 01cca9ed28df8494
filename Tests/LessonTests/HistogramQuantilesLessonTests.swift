import Synchronization
import WorkbookKit
import TestSupport
import XCTest

@testable import Lesson06HistogramQuantiles

/// Lesson 6: the solution passes every check, known-wrong versions each fail one, and the
/// learner's exercise is checked once attempted.
final class HistogramQuantilesLessonTests: XCTestCase {
    func testTheSolutionPassesEveryCheck() {
        let report = CheckReport(running: HistogramQuantilesChecks.checks(solutionQuantile))
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
        XCTAssertEqual(report.results.count, 9)
    }

    func testTheLearnersExerciseCompilesAndPassesOnceAttempted() throws {
        try LearnersExercise.check(Workbook.lessons[5])
    }

    func testAnUntouchedExerciseIsReportedAsNotAttempted() {
        let report = CheckReport(running: HistogramQuantilesChecks.checks { _, _, _ in throw NotAttemptedYet() })
        XCTAssertTrue(report.notAttempted)
        XCTAssertFalse(report.passed)
        let lesson = Workbook.lessons[5]
        XCTAssertEqual(lesson.slug, "histogram-quantiles")
        XCTAssertTrue(report.rendered(for: lesson, subject: "x").contains("Sources/Lessons/06-histogram-quantiles/Exercise.swift"))
    }

    func testEveryMutantFailsTheCheckMeantToCatchIt() {
        for mutant in Self.mutants {
            let report = CheckReport(running: HistogramQuantilesChecks.checks(mutant.quantile))
            XCTAssertFalse(report.notAttempted, mutant.name)
            XCTAssertTrue(report.failedTitles.contains(mutant.caughtBy), "'\(mutant.name)' should fail '\(mutant.caughtBy)'; failed: \(report.failedTitles)")
        }
    }

    /// The hint's formula typed as written, multiplying before dividing, is a correct answer.
    func testTheHintsFormulaAsWrittenPassesEveryCheck() {
        let report = CheckReport(running: HistogramQuantilesChecks.checks { q, bounds, counts in
            if q.isNaN { return .nan }
            if q < 0 { return -.infinity }
            if q > 1 { return .infinity }
            let total = counts[counts.count - 1]
            if total == 0 { return .nan }
            let rank = q * total
            guard let index = bounds.indices.first(where: { counts[$0] >= rank }) else { return bounds[bounds.count - 1] }
            let lower = index == 0 ? 0 : bounds[index - 1], countBelow = index == 0 ? 0 : counts[index - 1]
            let upper = bounds[index], count = counts[index]
            return lower + (upper - lower) * (rank - countBelow) / (count - countBelow)
        })
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
    }

    /// Every mutant also fails the generated check, and for its own reason: the shrunk input
    /// shows expected and found that differ by more than rounding.
    func testEveryMutantFailsTheGeneratedCheck() {
        for mutant in Self.mutants {
            let report = CheckReport(running: HistogramQuantilesChecks.checks(mutant.quantile))
            XCTAssertTrue(report.failedTitles.contains(Self.generated), "'\(mutant.name)' passes the generated check")
        }
    }

    /// The engine check hands over the counts as numbers (2,000 observations), not as bit patterns.
    func testTheEngineCheckPassesTheCountsAsNumbers() {
        let seen = Mutex<[Double]>([])
        let engineCheck = HistogramQuantilesChecks.checks { q, bounds, counts in
            seen.withLock { $0 = counts }
            return try solutionQuantile(q, upperBounds: bounds, cumulativeCounts: counts)
        }[7]
        XCTAssertTrue(engineCheck.title.hasPrefix("agrees with the engine"))
        XCTAssertTrue(CheckReport(running: [engineCheck]).passed)
        let counts = seen.withLock { $0 }
        XCTAssertEqual(counts.last, 2_000)
        XCTAssertTrue(counts.allSatisfy { $0 == $0.rounded() && $0 >= 0 }, "\(counts)")
    }

    func testTheGeneratedCheckTriesTwoThousandInputs() {
        let calls = Mutex(0)
        let report = CheckReport(running: [HistogramQuantilesChecks.checks { q, bounds, counts in
            calls.withLock { $0 += 1 }
            return try solutionQuantile(q, upperBounds: bounds, cumulativeCounts: counts)
        }.last!])
        XCTAssertTrue(report.passed)
        XCTAssertEqual(calls.withLock { $0 }, 2_000)
    }

    func testAFailureShowsExpectedFoundAndTheHint() {
        let report = CheckReport(running: HistogramQuantilesChecks.checks(Self.mutants[0].quantile))
        let text = report.rendered(for: Workbook.lessons[5], subject: "Exercise.swift")
        XCTAssertTrue(text.contains("      input:    q: 0.2, upperBounds: [0.1, 0.2, 1], cumulativeCounts: [50, 70, 110, 120]\n"), text)
        XCTAssertTrue(text.contains("      expected: 0.048\n      found:    0.1\n"), text)
        XCTAssertTrue(text.contains("Hint: "), text)
    }

    func testThePublishedExampleIsExactInTheSolution() throws {
        let bounds: [Double] = [0.1, 0.2, 1], counts: [Double] = [50, 70, 110, 120]
        XCTAssertEqual(try solutionQuantile(0.2, upperBounds: bounds, cumulativeCounts: counts), 0.048, accuracy: 1e-15)
        XCTAssertEqual(try solutionQuantile(0.5, upperBounds: bounds, cumulativeCounts: counts), 0.15, accuracy: 1e-15)
        XCTAssertEqual(try solutionQuantile(0.8, upperBounds: bounds, cumulativeCounts: counts), 0.72, accuracy: 1e-15)
    }

    func testTheDemoIsQuietAndSimulateOnlyAddsObservations() throws {
        let registry = try HistogramQuantilesDemo.run(.quiet)
        let before = try HistogramQuantilesDemo.latencyHistogram(in: registry).snapshot
        for tick in 0..<3 { try HistogramQuantilesDemo.simulate(registry, tick: tick) }
        let after = try HistogramQuantilesDemo.latencyHistogram(in: registry).snapshot
        XCTAssertGreaterThanOrEqual(after.count - before.count, 12)
        for (old, new) in zip(before.cumulativeCounts, after.cumulativeCounts) { XCTAssertLessThanOrEqual(old, new) }
    }

    func testTheExactQuantileIsTheNearestRank() {
        let values: [Double] = [5, 1, 4, 2, 3]
        XCTAssertEqual(HistogramQuantilesDemo.exactQuantile(0.5, of: values), 3)
        XCTAssertEqual(HistogramQuantilesDemo.exactQuantile(0.9, of: values), 5)
        XCTAssertEqual(HistogramQuantilesDemo.exactQuantile(0, of: values), 1)
    }

    private static let generated = "agrees with the reference on 2,000 generated histograms and q (within a relative 1e-9)"

    /// Known-wrong versions of `quantile`, each a mistake a learner could make, with the
    /// title of the check that catches it.
    static let mutants: [(name: String, caughtBy: String, quantile: HistogramQuantilesChecks.Quantile)] = [
        ("the bucket's upper bound, without interpolating", lowestBucket, { q, bounds, counts in
            try interpolating(q, bounds, counts) { _, upper, _, _, _ in upper }
        }),
        ("the lowest bucket starts at its own bound instead of 0", lowestBucket, { q, bounds, counts in
            try interpolating(q, bounds, counts) { lower, upper, rank, below, inBucket in
                let start = lower == 0 ? upper : lower
                return start + (upper - start) * ((rank - below) / inBucket)
            }
        }),
        ("the whole rank over the bucket's own count (the count below not taken off)", higherBucket, { q, bounds, counts in
            try interpolating(q, bounds, counts) { lower, upper, rank, _, inBucket in lower + (upper - lower) * (rank / inBucket) }
        }),
        ("the bucket found by comparing the rank with each bucket's own, non-cumulative count", higherBucket, { q, bounds, counts in
            let own = counts.indices.map { $0 == 0 ? counts[0] : counts[$0] - counts[$0 - 1] }
            guard q >= 0, q <= 1, let total = counts.last, total > 0 else { return try solutionQuantile(q, upperBounds: bounds, cumulativeCounts: counts) }
            let rank = q * total
            guard let index = bounds.indices.first(where: { own[$0] >= rank }) else { return bounds[bounds.count - 1] }
            let lower = index == 0 ? 0 : bounds[index - 1]
            return lower + (bounds[index] - lower) * (rank / own[index])
        }),
        ("+Inf for a rank in the +Inf bucket", "a rank in the +Inf bucket gives the highest finite bound: q=0.95 gives 1", { q, bounds, counts in
            guard let total = counts.last, q >= 0, q <= 1, total > 0, q * total > counts[counts.count - 2] else {
                return try solutionQuantile(q, upperBounds: bounds, cumulativeCounts: counts)
            }
            return .infinity
        }),
        ("0 instead of NaN when there are no observations", "no observations give NaN", { q, bounds, counts in
            counts.last == 0 ? 0 : try solutionQuantile(q, upperBounds: bounds, cumulativeCounts: counts)
        }),
        ("> instead of >=: a rank equal to a bucket's count goes on to the next non-empty bucket", generated, { q, bounds, counts in
            guard q >= 0, q <= 1, let total = counts.last, total > 0 else { return try solutionQuantile(q, upperBounds: bounds, cumulativeCounts: counts) }
            let rank = q * total
            guard let index = bounds.indices.first(where: { counts[$0] > rank }) else { return bounds[bounds.count - 1] }
            let lower = index == 0 ? 0 : bounds[index - 1], below = index == 0 ? 0 : counts[index - 1]
            return lower + (bounds[index] - lower) * ((rank - below) / (counts[index] - below))
        }),
        ("no observations checked before q: NaN for q out of range", generated, { q, bounds, counts in
            counts.last == 0 ? .nan : try solutionQuantile(q, upperBounds: bounds, cumulativeCounts: counts)
        }),
        (">= 1 instead of > 1 gives +Inf", onACount, { q, bounds, counts in
            q >= 1 ? .infinity : try solutionQuantile(q, upperBounds: bounds, cumulativeCounts: counts)
        }),
        ("q = 0 special-cased as 0", generated, { q, bounds, counts in
            q == 0 && counts.last != 0 ? 0 : try solutionQuantile(q, upperBounds: bounds, cumulativeCounts: counts)
        }),
        ("the rank rounded up to a whole observation", generated, { q, bounds, counts in
            try interpolating(q, bounds, counts) { lower, upper, rank, below, inBucket in
                lower + (upper - lower) * ((rank.rounded(.up) - below) / inBucket)
            }
        }),
        ("computed in Float", generated, { q, bounds, counts in
            Double(Float(try solutionQuantile(q, upperBounds: bounds, cumulativeCounts: counts)))
        }),
        ("every bucket interpolated up from 0", higherBucket, { q, bounds, counts in
            try interpolating(q, bounds, counts) { _, upper, rank, below, inBucket in upper * ((rank - below) / inBucket) }
        }),
    ]

    private static let lowestBucket = "a rank in the lowest bucket interpolates up from 0: q=0.2 gives 0.048 (to 9 decimals)"
    private static let higherBucket = "a rank in a higher bucket interpolates up from the bound below: q=0.5 gives 0.15, q=0.8 gives 0.72"
    private static let onACount = "a rank equal to a bucket's count ends on that bucket's bound; q=0 gives 0 and q=1 the last bound reached"

    /// The solution's search for the bucket, with `estimate(lower, upper, rank, countBelow, countInBucket)` inside it.
    private static func interpolating(
        _ q: Double, _ bounds: [Double], _ counts: [Double], estimate: (Double, Double, Double, Double, Double) -> Double
    ) throws -> Double {
        guard q >= 0, q <= 1, let total = counts.last, total > 0 else { return try solutionQuantile(q, upperBounds: bounds, cumulativeCounts: counts) }
        let rank = q * total
        guard let index = bounds.indices.first(where: { counts[$0] >= rank }) else { return bounds[bounds.count - 1] }
        let lower = index == 0 ? 0 : bounds[index - 1], below = index == 0 ? 0 : counts[index - 1]
        return estimate(lower, bounds[index], rank, below, counts[index] - below)
    }
}
