import Synchronization
import TimeSeries
import PromQL
import WorkbookKit
import TestSupport
import XCTest

@testable import Lesson03RateAndResets

/// Lesson 3: the solution passes every check, known-wrong versions each fail one, the learner's
/// exercise is checked once attempted, and the solution counts as Prometheus's increase() does.
final class RateAndResetsLessonTests: XCTestCase {
    /// Lesson 3's manifest entry.
    private let lesson = Workbook.lesson(named: "3")!

    func testTheSolutionPassesEveryCheck() {
        let report = CheckReport(running: RateAndResetsChecks.checks(solutionCounterIncrease))
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
        XCTAssertEqual(report.results.count, 10)
    }

    func testTheLearnersExerciseCompilesAndPassesOnceAttempted() throws {
        try LearnersExercise.check(Workbook.lessons[2])
    }

    func testAnUntouchedExerciseIsReportedAsNotAttempted() {
        let report = CheckReport(running: RateAndResetsChecks.checks { _ in throw NotAttemptedYet() })
        XCTAssertTrue(report.notAttempted)
        XCTAssertFalse(report.passed)
        XCTAssertTrue(report.rendered(for: lesson, subject: "x").contains("Sources/Lessons/03-rate-and-resets/Exercise.swift"))
    }

    func testEveryMutantFailsTheCheckMeantToCatchIt() {
        for mutant in Self.mutants {
            let report = CheckReport(running: RateAndResetsChecks.checks(mutant.increase))
            XCTAssertFalse(report.notAttempted, mutant.name)
            XCTAssertTrue(report.failedTitles.contains(mutant.caughtBy),
                          "the mutant '\(mutant.name)' should fail '\(mutant.caughtBy)'; failed: \(report.failedTitles)")
        }
    }

    func testEveryMutantFailsTheGeneratedCheck() {
        for mutant in Self.mutants {
            let report = CheckReport(running: RateAndResetsChecks.checks(mutant.increase))
            XCTAssertTrue(report.failedTitles.contains(Self.generatedTitle),
                          "the generated check should catch the mutant '\(mutant.name)'; failed: \(report.failedTitles)")
        }
    }

    func testTheGeneratedCheckTriesTwoThousandCounters() throws {
        let calls = CallCount()
        let checks = RateAndResetsChecks.checks { samples in
            calls.add()
            return try solutionCounterIncrease(samples)
        }
        let generated = try XCTUnwrap(checks.first { $0.title == Self.generatedTitle })
        XCTAssertTrue(CheckReport(running: [generated]).passed)
        XCTAssertGreaterThanOrEqual(calls.value, 2_000)
    }

    /// Prometheus adds differently (last minus first, plus the value before every fall):
    /// right, though its rounding differs, so it must pass.
    func testPrometheussWayOfAddingPasses() {
        let report = CheckReport(running: RateAndResetsChecks.checks { samples in
            guard let first = samples.first, let last = samples.last else { return 0 }
            var correction = 0.0
            for (previous, current) in zip(samples, samples.dropFirst()) where current < previous {
                correction += previous
            }
            return last - first + correction
        })
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
    }

    func testAGeneratedFailureShowsTheShrunkCall() throws {
        let report = CheckReport(running: RateAndResetsChecks.checks(Self.mutants[0].increase))
        guard case .failed(let failure)? = report.results.first(where: { $0.title == Self.generatedTitle })?.outcome else {
            return XCTFail("the generated check should fail")
        }
        let input = try XCTUnwrap(failure.input)
        XCTAssertTrue(input.hasPrefix("counterIncrease(["), input)
        XCTAssertLessThanOrEqual(input.filter { $0 == "," }.count, 2, "shrunk to a short list: \(input)")
        XCTAssertNotNil(failure.seed)
    }

    func testAFailureShowsExpectedFoundAndTheHint() {
        let report = CheckReport(running: RateAndResetsChecks.checks(Self.mutants[0].increase))
        let text = report.rendered(for: lesson, subject: "Exercise.swift")
        XCTAssertTrue(text.contains("  ✗ after a fall the new value counts in full: it was counted from zero\n      input:    counterIncrease([5.0, 8.0, 2.0, 4.0])\n      expected: 7.0\n      found:    -1.0"), text)
        XCTAssertTrue(text.contains("Hint: " + lesson.hint), text)
    }

    /// The series from Prometheus's PromQL tests: one sample every 5 minutes, increase over 30 minutes is 7.
    func testThePublishedExampleGivesSevenInTheEngineAndTheSolution() throws {
        let store = SeriesStore()
        let series = LabelSet(name: "http_requests", ["path": "/foo"])
        let values: [Double] = [0, 1, 2, 3, 2, 3, 4]
        for (index, value) in values.enumerated() {
            store.append(series, timestamp: Int64(index) * 300_000, value: value)
        }
        let engine = PromQLEngine(store: store)
        let answer = try engine.evaluate("increase(http_requests[30m])", at: 1_800_000)
        XCTAssertEqual(answer, .vector([VectorElement(labels: LabelSet(["path": "/foo"]), value: 7)]))
        XCTAssertEqual(try solutionCounterIncrease(values), 7)
        // The other answers the notes quote: Prometheus 3 leaves the sample at a window's start out,
        // Prometheus 2 (as a real 2.42 answers) keeps it.
        XCTAssertEqual(try engine.evaluate("increase(http_requests[20m])", at: 1_800_000),
                       .vector([VectorElement(labels: LabelSet(["path": "/foo"]), value: 5.333333333333333)]))
        XCTAssertEqual(try engine.evaluate("increase(http_requests[20m])", at: 1_750_000),
                       .vector([VectorElement(labels: LabelSet(["path": "/foo"]), value: 5.333333333333333)]))
        XCTAssertEqual(try PromQLEngine(store: store, semantics: .prometheus2).evaluate("increase(http_requests[20m])", at: 1_800_000),
                       .vector([VectorElement(labels: LabelSet(["path": "/foo"]), value: 5)]))
    }

    /// With samples on both edges of a closed window there is nothing to extrapolate, so the
    /// exercise's counting and Prometheus 2's increase() must agree exactly, restarts included.
    /// (Prometheus 3's windows leave the first sample out, and then extrapolate.)
    func testTheSolutionMatchesIncreaseWhenSamplesSitOnTheWindowsEdges() throws {
        var random = SeededRandom(seed: 33)
        for round in 0..<200 {
            var values: [Double] = []
            var counter = Double(random.next(below: 100))
            for _ in 0..<(2 + random.next(below: 20)) {
                if random.unit() < 0.2 { counter = 0 }
                counter += Double(random.next(below: 50))
                values.append(counter)
            }
            let store = SeriesStore()
            for (index, value) in values.enumerated() {
                store.append(LabelSet(name: "x_total"), timestamp: Int64(index) * 15_000, value: value)
            }
            let end = Int64(values.count - 1) * 15_000
            guard case .vector(let elements) = try PromQLEngine(store: store, semantics: .prometheus2).evaluate("increase(x_total[\(end / 1000)s])", at: end) else {
                return XCTFail("increase() should return a vector")
            }
            XCTAssertEqual(elements.first?.value, try solutionCounterIncrease(values), "round \(round): \(values)")
        }
    }

    func testTheDemoLeavesTheRestartedProcesssCounter() throws {
        let families = try RateAndResetsDemo.run(.quiet).collect()
        XCTAssertEqual(families.map(\.name), ["shop_orders"])
        guard case .counter(let value) = families.first?.series.first?.value else { return XCTFail("a counter") }
        XCTAssertGreaterThan(value, 0)
        XCTAssertLessThan(value, 2000, "the counter restarted at 6m12s, so it holds less than ten minutes of orders")
    }

    func testIncreaseLandsNearTheTruthWhileLastMinusFirstGoesNegative() throws {
        let store = SeriesStore()
        let run = try RateAndResetsDemo.runShop(scrapingInto: store)
        let engine = PromQLEngine(store: store)
        let end = RateAndResetsDemo.milliseconds(RateAndResetsDemo.endSecond)
        let increase = try RateAndResetsDemo.instantValue(engine, "increase(shop_orders_total[5m])", at: end)
        let truth = run.ordersTaken.suffix(300).reduce(0, +)
        XCTAssertEqual(increase, truth, accuracy: truth * 0.1)
        let samples = try RateAndResetsDemo.storedSamples(store).filter { $0.timestamp >= end - 300_000 }
        XCTAssertLessThan(samples.last!.value - samples.first!.value, 0)
    }

    func testSimulatedOrdersOnlyGoUp() throws {
        let registry = try RateAndResetsDemo.run(.quiet)
        let orders = try RateAndResetsDemo.orders(in: registry)
        var previous = orders.value
        for tick in 0..<120 {
            try RateAndResetsDemo.simulate(registry, tick: tick)
            XCTAssertGreaterThanOrEqual(orders.value, previous)
            previous = orders.value
        }
        XCTAssertEqual(registry.collect().count, 1)
    }

    /// Known-wrong versions of `counterIncrease(_:)`, each a mistake a learner could make, and the check that catches it.
    static let mutants: [(name: String, caughtBy: String, increase: RateAndResetsChecks.Increase)] = [
        ("last minus first, negative after a restart", "after a fall the new value counts in full: it was counted from zero", { samples in
            (samples.last ?? 0) - (samples.first ?? 0)
        }),
        ("falls clamped to zero, ignoring what was counted after the restart",
         "after a fall the new value counts in full: it was counted from zero", { samples in
            zip(samples, samples.dropFirst()).reduce(0) { $0 + max(0, $1.1 - $1.0) }
        }),
        ("only counts since the last restart", "two restarts in one window are both counted", { samples in
            // Starts over at every fall, so only the stretch after the last restart is counted.
            var increase = 0.0
            for (previous, current) in zip(samples, samples.dropFirst()) {
                increase = current < previous ? current : increase + current - previous
            }
            return increase
        }),
        ("an unchanged value taken for a restart (<= instead of <)", "a counter that did not move increased by 0", { samples in
            zip(samples, samples.dropFirst()).reduce(0) { $0 + ($1.1 <= $1.0 ? $1.1 : $1.1 - $1.0) }
        }),
        ("the value before the fall added as well as the value after", "the value before a restart is not counted twice", { samples in
            zip(samples, samples.dropFirst()).reduce(0) { $0 + ($1.1 < $1.0 ? $1.0 + $1.1 : $1.1 - $1.0) }
        }),
        ("the size of every change, up or down", "after a fall the new value counts in full: it was counted from zero", { samples in
            zip(samples, samples.dropFirst()).reduce(0) { $0 + abs($1.1 - $1.0) }
        }),
        ("the first sample counted as an increase from zero", "fewer than two samples: nothing to compare, so 0", { samples in
            zip([0] + samples, samples).reduce(0) { $0 + ($1.1 < $1.0 ? $1.1 : $1.1 - $1.0) }
        }),
        ("only a fall to exactly 0 taken for a restart", generatedTitle, { samples in
            zip(samples, samples.dropFirst()).reduce(0) { $0 + ($1.1 == 0 ? 0 : $1.1 - $1.0) }
        }),
        ("falls compared with the first sample, not the one before", generatedTitle, { samples in
            zip(samples, samples.dropFirst()).reduce(0) { $0 + ($1.1 < samples[0] ? $1.1 : $1.1 - $1.0) }
        }),
        ("small falls ignored as jitter", generatedTitle, { samples in
            zip(samples, samples.dropFirst()).reduce(0) { $0 + ($1.1 < $1.0 - 0.5 ? $1.1 : max(0, $1.1 - $1.0)) }
        }),
        ("added up in Float", generatedTitle, { samples in
            Double(zip(samples, samples.dropFirst()).reduce(Float(0)) { $0 + Float($1.1 < $1.0 ? $1.1 : $1.1 - $1.0) })
        }),
        ("whole steps only: differences taken as integers", "fractional counters, such as seconds, add up exactly", { samples in
            zip(samples, samples.dropFirst()).reduce(0) { $0 + Double($1.1 < $1.0 ? Int64($1.1) : Int64($1.1) - Int64($1.0)) }
        }),
        ("Prometheus's formula with the value after the fall added", "after a fall the new value counts in full: it was counted from zero", { samples in
            guard let first = samples.first, let last = samples.last else { return 0 }
            return last - first + zip(samples, samples.dropFirst()).reduce(0) { $0 + ($1.1 < $1.0 ? $1.1 : 0) }
        }),
        ("a single sample's value returned as its increase", "fewer than two samples: nothing to compare, so 0", { samples in
            samples.count == 1 ? samples[0] : try solutionCounterIncrease(samples)
        }),
    ]

    /// The title of the check that compares with the reference on generated counters.
    private static let generatedTitle = "2,000 generated counters match the reference, restarts and fractions included"

    /// How many times a closure under test was called, from any thread.
    private final class CallCount: Sendable {
        private let count = Mutex(0)

        /// One more call.
        func add() {
            count.withLock { $0 += 1 }
        }

        /// The calls so far.
        var value: Int {
            count.withLock { $0 }
        }
    }
}
