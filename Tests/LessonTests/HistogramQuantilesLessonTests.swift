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
        XCTAssertEqual(report.results.count, 8)
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

    func testAFailureShowsExpectedFoundAndTheHint() {
        let report = CheckReport(running: HistogramQuantilesChecks.checks(Self.mutants[0].quantile))
        let text = report.rendered(for: Workbook.lessons[5], subject: "Exercise.swift")
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
    ]

    private static let lowestBucket = "a rank in the lowest bucket interpolates up from 0: q=0.2 gives 0.048 (to 9 decimals)"
    private static let higherBucket = "a rank in a higher bucket interpolates up from the bound below: q=0.5 gives 0.15, q=0.8 gives 0.72"

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
