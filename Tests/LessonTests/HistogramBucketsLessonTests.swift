import Synchronization
import WorkbookKit
import TestSupport
import XCTest

@testable import Lesson05HistogramBuckets

/// Lesson 5: the solution passes every check, known-wrong versions each fail one, and the
/// learner's exercise is checked once attempted.
final class HistogramBucketsLessonTests: XCTestCase {
    func testTheSolutionPassesEveryCheck() {
        let report = CheckReport(running: HistogramBucketsChecks.checks(solutionCumulativeBucketCounts))
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
        XCTAssertEqual(report.results.count, 11)
    }

    func testTheLearnersExerciseCompilesAndPassesOnceAttempted() throws {
        try LearnersExercise.check(Workbook.lessons[4])
    }

    func testAnUntouchedExerciseIsReportedAsNotAttempted() {
        let report = CheckReport(running: HistogramBucketsChecks.checks { _, _ in throw NotAttemptedYet() })
        XCTAssertTrue(report.notAttempted)
        XCTAssertFalse(report.passed)
        let lesson = Workbook.lessons[4]
        XCTAssertEqual(lesson.slug, "histogram-buckets")
        XCTAssertTrue(report.rendered(for: lesson, subject: "x").contains("Sources/Lessons/05-histogram-buckets/Exercise.swift"))
    }

    func testEveryMutantFailsTheCheckMeantToCatchIt() {
        for mutant in Self.mutants {
            let report = CheckReport(running: HistogramBucketsChecks.checks(mutant.count))
            XCTAssertFalse(report.notAttempted, mutant.name)
            XCTAssertTrue(report.failedTitles.contains(mutant.caughtBy), "'\(mutant.name)' should fail '\(mutant.caughtBy)'; failed: \(report.failedTitles)")
        }
    }

    /// Every mutant also fails the generated check on its own: it meets its edge class there.
    func testEveryMutantFailsTheGeneratedCheck() {
        for mutant in Self.mutants {
            let report = CheckReport(running: HistogramBucketsChecks.checks(mutant.count))
            XCTAssertTrue(report.failedTitles.contains(Self.generated), "'\(mutant.name)' passes the generated check")
        }
    }

    func testTheGeneratedCheckTriesTwoThousandInputs() {
        let calls = CallCounter()
        let report = CheckReport(running: HistogramBucketsChecks.checks { bounds, values in
            calls.count.withLock { $0 += 1 }
            return try solutionCumulativeBucketCounts(upperBounds: bounds, observations: values)
        })
        XCTAssertTrue(report.passed)
        XCTAssertGreaterThanOrEqual(calls.count.withLock { $0 }, 2_000 + 10)
    }

    func testAFailureShowsTheInputExpectedFoundAndTheHint() {
        let report = CheckReport(running: HistogramBucketsChecks.checks(Self.mutants[0].count))
        let text = report.rendered(for: Workbook.lessons[4], subject: "Exercise.swift")
        XCTAssertTrue(text.contains("      input:    upperBounds: [0.1, 0.5, 1], observations: [0.3]\n"), text)
        XCTAssertTrue(text.contains(#"      expected: [le="0.1" 0, le="0.5" 1, le="1" 1, le="+Inf" 1]"#), text)
        XCTAssertTrue(text.contains(#"      found:    [le="0.1" 0, le="0.5" 1, le="1" 0, le="+Inf" 0]"#), text)
        XCTAssertTrue(text.contains("Hint: "), text)
    }

    func testAGeneratedFailureIsShrunkAndShowsItsSeed() {
        let report = CheckReport(running: HistogramBucketsChecks.checks(Self.mutants[1].count))
        guard case .failed(let failure)? = report.results.first(where: { $0.title == Self.generated })?.outcome else {
            return XCTFail("the generated check should fail '\(Self.mutants[1].name)'")
        }
        XCTAssertNotNil(failure.seed)
        let observations = failure.input?.components(separatedBy: "observations: ").last ?? ""
        XCTAssertFalse(observations.contains(","), "shrunk to one observation: \(failure.input ?? "")")
    }

    func testAWrongNumberOfCountsIsSaid() {
        let report = CheckReport(running: HistogramBucketsChecks.checks(Self.mutants[2].count))
        let text = report.rendered(for: Workbook.lessons[4], subject: "Exercise.swift")
        XCTAssertTrue(text.contains("(3 counts for 4 buckets)"), text)
    }

    func testTheDemoIsQuietAndSimulateOnlyAddsObservations() throws {
        let registry = try HistogramBucketsDemo.run(.quiet)
        let before = try HistogramBucketsDemo.latencyHistogram(in: registry).snapshot
        for tick in 0..<3 { try HistogramBucketsDemo.simulate(registry, tick: tick) }
        let after = try HistogramBucketsDemo.latencyHistogram(in: registry).snapshot
        XCTAssertGreaterThanOrEqual(after.count - before.count, 45)
        for (old, new) in zip(before.cumulativeCounts, after.cumulativeCounts) { XCTAssertLessThanOrEqual(old, new) }
        XCTAssertEqual(registry.collect().map(\.name), ["http_request_duration_seconds", "http_response_size_bytes"])
    }

    private static let generated = "agrees with the reference on 2,000 generated bounds and observations (edge cases included)"

    /// Known-wrong versions of `cumulativeBucketCounts`, each a mistake a learner could make,
    /// with the title of the check that catches it.
    static let mutants: [(name: String, caughtBy: String, count: HistogramBucketsChecks.Count)] = [
        ("non-cumulative: each value counted only in its own bucket",
         "one observation counts in its bucket and in every bucket above it (cumulative)", { bounds, values in
            var counts = [UInt64](repeating: 0, count: bounds.count + 1)
            for value in values { counts[bounds.firstIndex { value <= $0 } ?? bounds.count] += 1 }
            return counts
        }),
        ("< instead of <=: a value on a bound goes to the next bucket",
         "a value exactly on a bound counts in that bucket (le is less than or equal)", { bounds, values in
            bounds.map { bound in UInt64(values.filter { $0 < bound }.count) } + [UInt64(values.count)]
        }),
        ("no +Inf bucket",
         "one count per bound, then one for the +Inf bucket", { bounds, values in
            bounds.map { bound in UInt64(values.filter { $0 <= bound }.count) }
        }),
        ("NaN dropped",
         "NaN counts only in +Inf, as the Go client and this engine count it", { bounds, values in
            try solutionCumulativeBucketCounts(upperBounds: bounds, observations: values.filter { !$0.isNaN })
        }),
        ("values above the last bound dropped (+Inf repeats the last bucket)",
         "a value above the last bound counts only in +Inf", { bounds, values in
            let finite = bounds.map { bound in UInt64(values.filter { $0 <= bound }.count) }
            return finite + [finite.last ?? 0]
        }),
        ("NaN counted in every bucket: !(value > bound) instead of value <= bound",
         "NaN counts only in +Inf, as the Go client and this engine count it", { bounds, values in
            bounds.map { bound in UInt64(values.filter { !($0 > bound) }.count) } + [UInt64(values.count)]
        }),
        ("infinities dropped as not finite",
         "+Inf counts only in +Inf, -Inf in every bucket", { bounds, values in
            try solutionCumulativeBucketCounts(upperBounds: bounds, observations: values.filter { $0.isFinite || $0.isNaN })
        }),
        ("negative values dropped, as no latency is negative",
         "zero and negative values count in every bucket whose bound they do not exceed", { bounds, values in
            try solutionCumulativeBucketCounts(upperBounds: bounds, observations: values.filter { !($0 < 0) })
        }),
        ("compared in Float precision", generated, { bounds, values in
            bounds.map { bound in UInt64(values.filter { Float($0) <= Float(bound) }.count) } + [UInt64(values.count)]
        }),
        ("sorted, then a binary search per bound (NaN breaks the sort)", generated, { bounds, values in
            let sorted = values.sorted()
            return bounds.map { bound in
                var low = 0, high = sorted.count
                while low < high {
                    let middle = (low + high) / 2
                    if sorted[middle] <= bound { low = middle + 1 } else { high = middle }
                }
                return UInt64(low)
            } + [UInt64(values.count)]
        }),
        ("no finite bounds give no counts",
         "with no finite bounds there is one count, the +Inf bucket", { bounds, values in
            bounds.isEmpty ? [] : try solutionCumulativeBucketCounts(upperBounds: bounds, observations: values)
        }),
    ]
}

/// How many times a check called the code under test.
private final class CallCounter: Sendable {
    let count = Mutex(0)
}
