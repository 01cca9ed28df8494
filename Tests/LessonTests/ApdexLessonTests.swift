import Platform
import Synchronization
import WorkbookKit
import TestSupport
import XCTest

@testable import Lesson08Apdex

/// Lesson 8: the solution passes every check, known-wrong versions each fail one, and the
/// learner's exercise is checked once attempted.
final class ApdexLessonTests: XCTestCase {
    func testTheSolutionPassesEveryCheck() {
        let report = CheckReport(running: ApdexChecks.checks(solutionApdex))
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
        XCTAssertEqual(report.results.count, 13)
    }

    func testTheLearnersExerciseCompilesAndPassesOnceAttempted() throws {
        try LearnersExercise.check(Workbook.lessons[7])
    }

    func testAnUntouchedExerciseIsReportedAsNotAttempted() {
        let report = CheckReport(running: ApdexChecks.checks { _, _, _ in throw NotAttemptedYet() })
        XCTAssertTrue(report.notAttempted)
        XCTAssertFalse(report.passed)
        let lesson = Workbook.lessons[7]
        XCTAssertEqual(lesson.slug, "apdex")
        XCTAssertTrue(report.rendered(for: lesson, subject: "x").contains("Sources/Lessons/08-apdex/Exercise.swift"))
    }

    func testEveryMutantFailsTheCheckMeantToCatchIt() {
        for mutant in Self.mutants {
            let report = CheckReport(running: ApdexChecks.checks(mutant.apdex))
            XCTAssertFalse(report.notAttempted, mutant.name)
            XCTAssertTrue(report.failedTitles.contains(mutant.caughtBy), "'\(mutant.name)' should fail '\(mutant.caughtBy)'; failed: \(report.failedTitles)")
        }
    }

    func testAFailureShowsExpectedFoundAndTheHint() {
        let report = CheckReport(running: ApdexChecks.checks(Self.mutants[0].apdex))
        let text = report.rendered(for: Workbook.lessons[7], subject: "Exercise.swift")
        XCTAssertTrue(text.contains("      expected: 0.5\n      found:    1\n"), text)
        XCTAssertTrue(text.contains("Hint: "), text)
    }

    func testEveryMutantFailsTheGeneratedCheck() {
        for mutant in Self.mutants {
            let report = CheckReport(running: ApdexChecks.checks(mutant.apdex))
            XCTAssertTrue(report.failedTitles.contains(Self.generated), "'\(mutant.name)' passes the generated check")
        }
    }

    func testTheGeneratedCheckTriesTwoThousandInputs() {
        let calls = Mutex(0)
        let report = CheckReport(running: [ApdexChecks.checks { bounds, counts, target in
            calls.withLock { $0 += 1 }
            return try solutionApdex(upperBounds: bounds, cumulativeCounts: counts, target: target)
        }.last!])
        XCTAssertTrue(report.passed)
        XCTAssertEqual(calls.withLock { $0 }, 2_000)
    }

    /// The scores in another order of the arithmetic, and in integers done right, pass.
    func testOtherCorrectOrdersOfTheArithmeticPass() {
        let report = CheckReport(running: ApdexChecks.checks { bounds, counts, target in
            let correct = try solutionApdex(upperBounds: bounds, cumulativeCounts: counts, target: target)
            guard !correct.isNaN, let atT = bounds.firstIndex(of: target), let atFourT = bounds.firstIndex(of: 4 * target) else { return correct }
            return Double(counts[atT] + counts[atFourT]) / 2 / Double(counts[counts.count - 1])
        })
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
    }

    func testAMissingThresholdIsReportedClearly() {
        let text = CheckReport(running: ApdexChecks.checks(Self.mutants[4].apdex)).rendered(for: Workbook.lessons[7], subject: "x")
        XCTAssertTrue(text.contains(
            "expected: ApdexThresholdError: the Apdex threshold 0.2 s is not a bucket bound (the bounds are 0.1, 0.3, 0.6, 1.2, 2.5); add 0.2 to the histogram's buckets"),
            text)
        XCTAssertTrue(text.contains("found:    the score 1"), text)
    }

    func testTheDemoIsQuietAndSimulateOnlyAddsObservations() throws {
        let registry = try ApdexDemo.run(.quiet)
        let before = try ApdexDemo.latencyHistogram(in: registry).snapshot
        XCTAssertEqual(before.count, 18_000)
        for tick in [0, 1, 800] { try ApdexDemo.simulate(registry, tick: tick) }
        let after = try ApdexDemo.latencyHistogram(in: registry).snapshot
        XCTAssertEqual(after.count - before.count, 30)
        for (old, new) in zip(before.cumulativeCounts, after.cumulativeCounts) { XCTAssertLessThanOrEqual(old, new) }
    }

    private static let generated = "agrees with the reference on 2,000 generated histograms and targets (within a relative 1e-9)"
    private static let notPositive = "a target that is not positive throws ApdexThresholdError, even when it is a bound"
    private static let order = "the thresholds are checked before the requests: no requests and a missing 4T throw for 4T"
    private static let odd = "an odd number of tolerating requests still counts half each: 3 of 4 tolerating score 0.375"

    /// Known-wrong versions of `apdex`, each a mistake a learner could make, with the title of the check that catches it.
    static let mutants: [(name: String, caughtBy: String, apdex: ApdexChecks.Apdex)] = [
        ("tolerating requests not halved", "a tolerating request counts half: all of them between T and 4T scores 0.5", { bounds, counts, target in
            try scored(bounds, counts, target) { satisfied, upToFourT, total in (satisfied + (upToFourT - satisfied)) / total }
        }),
        ("tolerating read as the cumulative le=4T, satisfied not taken off", mixed, { bounds, counts, target in
            try scored(bounds, counts, target) { satisfied, upToFourT, total in (satisfied + upToFourT / 2) / total }
        }),
        ("counts read as non-cumulative and added up", mixed, { bounds, counts, target in
            guard target > 0, let atT = bounds.firstIndex(of: target), let atFourT = bounds.firstIndex(of: 4 * target) else {
                return try solutionApdex(upperBounds: bounds, cumulativeCounts: counts, target: target)
            }
            let satisfied = Double(counts[...atT].reduce(0, +)), tolerating = Double(counts[(atT + 1)...atFourT].reduce(0, +))
            let total = Double(counts.reduce(0, +))
            return total == 0 ? .nan : (satisfied + tolerating / 2) / total
        }),
        ("frustrated requests counted as tolerating", "every request slower than 4T scores 0: frustrated requests count nothing", { bounds, counts, target in
            try scored(bounds, counts, target) { satisfied, _, total in (satisfied + (total - satisfied) / 2) / total }
        }),
        ("a threshold that is not a bound rounded up to the next bound", "a T that is not a bucket bound throws ApdexThresholdError for T", { bounds, counts, target in
            let total = Double(counts[counts.count - 1])
            let satisfied = Double(counts[bounds.firstIndex { target <= $0 } ?? bounds.count])
            let upToFourT = Double(counts[bounds.firstIndex { 4 * target <= $0 } ?? bounds.count])
            return (satisfied + (upToFourT - satisfied) / 2) / total
        }),
        ("0 instead of NaN without requests", "no requests give NaN", { bounds, counts, target in
            counts.last == 0 ? 0 : try solutionApdex(upperBounds: bounds, cumulativeCounts: counts, target: target)
        }),
        ("tolerating halved in integers: Double(satisfied + tolerating / 2)", odd, { bounds, counts, target in
            let correct = try solutionApdex(upperBounds: bounds, cumulativeCounts: counts, target: target)
            guard !correct.isNaN, let atT = bounds.firstIndex(of: target), let atFourT = bounds.firstIndex(of: 4 * target) else { return correct }
            return Double(counts[atT] + (counts[atFourT] - counts[atT]) / 2) / Double(counts[counts.count - 1])
        }),
        ("no requests checked before the thresholds", order, { bounds, counts, target in
            counts.last == 0 ? .nan : try solutionApdex(upperBounds: bounds, cumulativeCounts: counts, target: target)
        }),
        ("a target of zero or below accepted when it is a bound", notPositive, { bounds, counts, target in
            guard !(target > 0), let atT = bounds.firstIndex(of: target), let atFourT = bounds.firstIndex(of: 4 * target) else {
                return try solutionApdex(upperBounds: bounds, cumulativeCounts: counts, target: target)
            }
            let total = Double(counts[counts.count - 1])
            return total == 0 ? .nan : (Double(counts[atT]) + (Double(counts[atFourT]) - Double(counts[atT])) / 2) / total
        }),
        ("thresholds matched in Float precision", generated, { bounds, counts, target in
            let floats = bounds.map { Double(Float($0)) }
            guard target > 0, let atT = floats.firstIndex(of: Double(Float(target))) else {
                return try solutionApdex(upperBounds: bounds, cumulativeCounts: counts, target: target)
            }
            return try solutionApdex(upperBounds: bounds, cumulativeCounts: counts, target: bounds[atT])
        }),
        ("thresholds matched within 1e-6", generated, { bounds, counts, target in
            guard target > 0, let near = bounds.first(where: { abs($0 - target) < 1e-6 }) else {
                return try solutionApdex(upperBounds: bounds, cumulativeCounts: counts, target: target)
            }
            return try solutionApdex(upperBounds: bounds, cumulativeCounts: counts, target: near)
        }),
        ("4T missing reported as T", generated, { bounds, counts, target in
            do {
                return try solutionApdex(upperBounds: bounds, cumulativeCounts: counts, target: target)
            } catch let error as ApdexThresholdError {
                throw ApdexThresholdError(threshold: target, upperBounds: error.upperBounds)
            }
        }),
        ("the score computed in Float", generated, { bounds, counts, target in
            Double(Float(try solutionApdex(upperBounds: bounds, cumulativeCounts: counts, target: target)))
        }),
    ]

    private static let mixed = "60 satisfied, 30 tolerating and 10 frustrated score (60 + 30/2) / 100 = 0.75"

    /// The solution's threshold lookup, with `score(satisfied, countAtFourT, total)` in place of the formula.
    private static func scored(_ bounds: [Double], _ counts: [UInt64], _ target: Double, score: (Double, Double, Double) -> Double) throws -> Double {
        let correct = try solutionApdex(upperBounds: bounds, cumulativeCounts: counts, target: target)
        guard !correct.isNaN, let atT = bounds.firstIndex(of: target), let atFourT = bounds.firstIndex(of: 4 * target) else { return correct }
        return score(Double(counts[atT]), Double(counts[atFourT]), Double(counts[counts.count - 1]))
    }
}
