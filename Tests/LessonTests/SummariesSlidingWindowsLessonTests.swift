import Synchronization
import WorkbookKit
import TestSupport
import XCTest

@testable import Lesson07SummariesSlidingWindows

/// Lesson 7: the solution passes every check, known-wrong windows each fail one, and the
/// learner's exercise is checked once attempted.
final class SummariesSlidingWindowsLessonTests: XCTestCase {
    private static let lesson = Workbook.lessons[6]

    func testTheSolutionPassesEveryCheck() {
        let report = CheckReport(running: SummariesSlidingWindowsChecks.checks { SolutionSlidingWindowCounter(maxAge: $0, ageBuckets: $1, start: $2) })
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
        XCTAssertEqual(report.results.count, 12)
    }

    func testTheLearnersExerciseCompilesAndPassesOnceAttempted() throws {
        try LearnersExercise.check(Workbook.lessons[6])
    }

    func testAnUntouchedExerciseIsReportedAsNotAttempted() {
        let report = CheckReport(running: SummariesSlidingWindowsChecks.checks { _, _, _ in Untouched() })
        XCTAssertTrue(report.notAttempted)
        XCTAssertFalse(report.passed)
        XCTAssertTrue(report.rendered(for: Self.lesson, subject: "x").contains(Self.lesson.exercisePath))
    }

    func testEveryMutantFailsAtLeastOneCheck() {
        for mistake in Mistake.allCases {
            let report = CheckReport(running: SummariesSlidingWindowsChecks.checks { MistakenWindow(mistake, maxAge: $0, ageBuckets: $1, start: $2) })
            XCTAssertFalse(report.notAttempted, "\(mistake)")
            XCTAssertFalse(report.passed, "the checks should catch the mutant '\(mistake)'")
        }
    }

    func testEachMutantIsCaughtByTheCheckWrittenForIt() {
        let expected: [Mistake: String] = [
            .neverForgets: "the oldest age bucket expires alone",
            .forgetsEverythingAtMaxAge: "the oldest age bucket expires alone",
            .rotatesOneBucketPerCall: "after a long quiet gap every expired age bucket is emptied",
            .boundaryInTheOldPeriod: "a time exactly on a boundary starts the new period",
            .rotationFromTheLastCall: "periods are counted from the start, not from the last call",
            .addDoesNotMoveTheWindow: "adding moves the window too",
            .countsOnlyTheNewestBucket: "events stay counted while their period is one of the last three",
            .boundariesAddedUp: Self.generated,
            .wholeSeconds: "periods that are not whole seconds",
            .oneBucketTooMany: "the oldest age bucket expires alone",
            .gapEmptiesOneBucketTooFew: "after a long quiet gap every expired age bucket is emptied",
            .oneEventPerAdd: "events are counted as soon as they are added",
            .periodInFloat: Self.generated,
            .gapCappedAtAFewPeriods: Self.generated,
        ]
        for mistake in Mistake.allCases {
            let report = CheckReport(running: SummariesSlidingWindowsChecks.checks { MistakenWindow(mistake, maxAge: $0, ageBuckets: $1, start: $2) })
            let title = expected[mistake] ?? "?"
            XCTAssertTrue(report.failedTitles.contains { $0.hasPrefix(title) }, "\(mistake) should fail '\(title)'; it fails \(report.failedTitles)")
        }
    }

    func testEveryMutantFailsTheGeneratedCheck() {
        for mistake in Mistake.allCases {
            let report = CheckReport(running: SummariesSlidingWindowsChecks.checks { MistakenWindow(mistake, maxAge: $0, ageBuckets: $1, start: $2) })
            XCTAssertTrue(report.failedTitles.contains(Self.generated), "'\(mistake)' passes the generated check")
        }
    }

    func testTheGeneratedCheckTriesTwoThousandScripts() {
        let windows = Mutex(0)
        let report = CheckReport(running: [SummariesSlidingWindowsChecks.checks { maxAge, ageBuckets, start in
            windows.withLock { $0 += 1 }
            return SolutionSlidingWindowCounter(maxAge: maxAge, ageBuckets: ageBuckets, start: start)
        }.last!])
        XCTAssertTrue(report.passed)
        XCTAssertEqual(windows.withLock { $0 }, 2_000)
    }

    func testAFailureShowsExpectedFoundAndTheHint() {
        let report = CheckReport(running: SummariesSlidingWindowsChecks.checks { MistakenWindow(.neverForgets, maxAge: $0, ageBuckets: $1, start: $2) })
        let text = report.rendered(for: Self.lesson, subject: "Exercise.swift")
        XCTAssertTrue(text.contains("      input:    SlidingWindowCounter(maxAge: 60, ageBuckets: 3, start: 1000) (period 20), then add(2, at: 1005), "), text)
        XCTAssertTrue(text.contains("      expected: count(at: 1059) = 9, count(at: 1060) = 7, count(at: 1079) = 7, count(at: 1080) = 4, "), text)
        XCTAssertTrue(text.contains("      found:    count(at: 1059) = 9, count(at: 1060) = 9, "), text)
        XCTAssertTrue(text.contains("Hint: " + Self.lesson.hint), text)
    }

    func testTheDemoEndsWithFastRequestsInTheWindowAndEveryRequestCounted() throws {
        let registry = try SummariesSlidingWindowsDemo.run(.quiet)
        guard case .summary(let summary)? = registry.collect().first?.series.first?.value else {
            return XCTFail("the demo's registry should hold the summary")
        }
        XCTAssertEqual(summary.count, 6_000, "25 minutes of 4 requests a second")
        XCTAssertEqual(summary.quantiles.map(\.quantile), [0.5, 0.9, 0.99])
        XCTAssertLessThan(summary.quantiles[2].value, 0.3, "the slow first ten minutes have left the window")
    }

    func testSimulateKeepsCountingAndMovesTheClock() throws {
        let registry = try SummariesSlidingWindowsDemo.run(.quiet)
        let before = registry.clock.now()
        for tick in 0..<3 {
            try SummariesSlidingWindowsDemo.simulate(registry, tick: tick)
        }
        XCTAssertEqual(registry.clock.now(), before + 3)
        let metrics = try SummariesSlidingWindowsDemo.RequestMetrics(registry)
        let expected = 6_000 + 3 * UInt64(SummariesSlidingWindowsDemo.requestsPerSecond)
        XCTAssertEqual(metrics.summary.snapshot.count, expected)
        XCTAssertEqual(metrics.histogram.snapshot.count, expected, "the histogram counts the same requests")
    }

    private static let generated = "agrees with the reference on 2,000 generated scripts of add and count (edge cases included)"

    // MARK: Known-wrong windows

    /// The mistakes the mutants make, each one a learner could make.
    enum Mistake: CaseIterable {
        /// Counts every event ever added: the window never forgets.
        case neverForgets
        /// One bucket for the whole window, emptied every maxAge: everything is forgotten at once.
        case forgetsEverythingAtMaxAge
        /// `if` instead of `while`: after a long gap only one bucket is emptied per call.
        case rotatesOneBucketPerCall
        /// An event exactly on a boundary is put in the period that ends there.
        case boundaryInTheOldPeriod
        /// The next rotation is scheduled one period after the call that rotated, so boundaries drift.
        case rotationFromTheLastCall
        /// Only `count` brings the window up to date; `add` writes into a stale bucket.
        case addDoesNotMoveTheWindow
        /// Reports only the current period's bucket.
        case countsOnlyTheNewestBucket
        /// Boundaries found by adding the period up, one at a time: rounding errors pile up.
        case boundariesAddedUp
        /// The time cut to whole seconds before its period is found.
        case wholeSeconds
        /// A ring of ageBuckets + 1 counts: the window holds one period too many.
        case oneBucketTooMany
        /// After a gap, at most ageBuckets − 1 buckets are emptied: one stale bucket survives.
        case gapEmptiesOneBucketTooFew
        /// `add` counts one event per call, whatever the number given.
        case oneEventPerAdd
        /// The period number computed in Float.
        case periodInFloat
        /// A gap of many periods treated as at most ageBuckets periods, so the ring's position drifts.
        case gapCappedAtAFewPeriods
    }

    /// A ring of counts, one per age bucket, that empties buckets as periods pass.
    struct Ring {
        var counts: [Int]
        var newest = 0

        mutating func advance(toPeriod period: Int) {
            let steps = min(max(period - newest, 0), counts.count)
            for step in 0..<steps { counts[(newest + 1 + step) % counts.count] = 0 }
            newest = max(newest, period)
        }

        mutating func add(_ events: Int) { counts[newest % counts.count] += events }
        var total: Int { counts.reduce(0, +) }
    }

    /// A window with one mistake in it.
    struct MistakenWindow: SlidingWindowCounting {
        let mistake: Mistake
        let start: Double
        let period: Double
        var ring: Ring
        var nextRotation: Double

        init(_ mistake: Mistake, maxAge: Double, ageBuckets: Int, start: Double) {
            self.mistake = mistake
            self.start = start
            let single = mistake == .forgetsEverythingAtMaxAge
            period = single ? maxAge : maxAge / Double(ageBuckets)
            ring = Ring(counts: Array(repeating: 0, count: single ? 1 : ageBuckets + (mistake == .oneBucketTooMany ? 1 : 0)))
            nextRotation = start + period
        }

        mutating func add(_ events: Int, at time: Double) {
            if mistake != .addDoesNotMoveTheWindow { advance(to: time) }
            ring.add(mistake == .oneEventPerAdd ? 1 : events)
        }

        mutating func count(at time: Double) -> Int {
            advance(to: time)
            return mistake == .countsOnlyTheNewestBucket ? ring.counts[ring.newest % ring.counts.count] : ring.total
        }

        private mutating func advance(to time: Double) {
            let period = Int(((time - start) / self.period).rounded(.down))
            switch mistake {
            case .neverForgets:
                return
            case .rotatesOneBucketPerCall:
                ring.advance(toPeriod: min(period, ring.newest + 1))
            case .boundaryInTheOldPeriod:
                ring.advance(toPeriod: max(Int(((time - start) / self.period).rounded(.up)) - 1, 0))
            case .rotationFromTheLastCall:
                guard time >= nextRotation else { return }
                ring.advance(toPeriod: ring.newest + 1 + Int(((time - nextRotation) / self.period).rounded(.down)))
                nextRotation = time + self.period
            case .boundariesAddedUp:
                while time >= nextRotation {
                    ring.advance(toPeriod: ring.newest + 1)
                    nextRotation += self.period
                }
            case .wholeSeconds:
                ring.advance(toPeriod: Int(((time - start).rounded(.down) / self.period).rounded(.down)))
            case .gapEmptiesOneBucketTooFew:
                let steps = min(max(period - ring.newest, 0), ring.counts.count - 1)
                for step in 0..<steps { ring.counts[(ring.newest + 1 + step) % ring.counts.count] = 0 }
                ring.newest = max(ring.newest, period)
            case .periodInFloat:
                ring.advance(toPeriod: Int((Float(time - start) / Float(self.period)).rounded(.down)))
            case .gapCappedAtAFewPeriods:
                ring.advance(toPeriod: min(period, ring.newest + ring.counts.count))
            case .forgetsEverythingAtMaxAge, .addDoesNotMoveTheWindow, .countsOnlyTheNewestBucket, .oneBucketTooMany, .oneEventPerAdd:
                ring.advance(toPeriod: period)
            }
        }
    }

    /// The exercise as it is handed out.
    struct Untouched: SlidingWindowCounting {
        mutating func add(_ events: Int, at time: Double) throws { throw NotAttemptedYet() }
        mutating func count(at time: Double) throws -> Int { throw NotAttemptedYet() }
    }
}
