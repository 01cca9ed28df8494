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
        XCTAssertEqual(report.results.count, 9)
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

    func testAFailureShowsExpectedFoundAndTheHint() {
        let report = CheckReport(running: RateAndResetsChecks.checks(Self.mutants[0].increase))
        let text = report.rendered(for: lesson, subject: "Exercise.swift")
        XCTAssertTrue(text.contains("  ✗ after a fall the new value counts in full: it was counted from zero\n      expected: 7.0\n      found:    -1.0"), text)
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
        // The other two answers the notes quote, which a real Prometheus 2 gives too.
        XCTAssertEqual(try engine.evaluate("increase(http_requests[20m])", at: 1_800_000),
                       .vector([VectorElement(labels: LabelSet(["path": "/foo"]), value: 5)]))
        XCTAssertEqual(try engine.evaluate("increase(http_requests[20m])", at: 1_750_000),
                       .vector([VectorElement(labels: LabelSet(["path": "/foo"]), value: 5.333333333333333)]))
    }

    /// With samples on both edges of the window there is nothing to extrapolate, so the
    /// exercise's counting and PromQL's increase() must agree exactly, restarts included.
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
            guard case .vector(let elements) = try PromQLEngine(store: store).evaluate("increase(x_total[\(end / 1000)s])", at: end) else {
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
    ]
}
