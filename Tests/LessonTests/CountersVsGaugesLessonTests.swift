import Synchronization
import WorkbookKit
import TestSupport
import XCTest

@testable import Lesson02CountersVsGauges

/// Lesson 2: the solution passes every check, known-wrong versions each fail one, the learner's
/// exercise is checked once attempted, and the demo's metrics move the way their types say.
final class CountersVsGaugesLessonTests: XCTestCase {
    /// Lesson 2's manifest entry.
    private let lesson = Workbook.lesson(named: "2")!

    func testTheSolutionPassesEveryCheck() {
        let report = CheckReport(running: CountersVsGaugesChecks.checks(solutionMetricKind))
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
        XCTAssertEqual(report.results.count, 12)
    }

    func testAWrongAnswerForAnySignalFailsACheck() {
        for wrong in Signal.allCases {
            let report = CountersVsGaugesChecks.checks { signal in
                let right = try solutionMetricKind(for: signal)
                return signal != wrong ? right : right == .counter ? .gauge : .counter
            }
            XCTAssertFalse(CheckReport(running: report).passed, "no check notices a wrong answer for \(wrong)")
        }
    }

    func testTheLearnersExerciseCompilesAndPassesOnceAttempted() throws {
        try LearnersExercise.check(Workbook.lessons[1])
    }

    func testAnUntouchedExerciseIsReportedAsNotAttempted() {
        let report = CheckReport(running: CountersVsGaugesChecks.checks { _ in throw NotAttemptedYet() })
        XCTAssertTrue(report.notAttempted)
        XCTAssertFalse(report.passed)
        XCTAssertTrue(report.rendered(for: lesson, subject: "x").contains("Sources/Lessons/02-counters-vs-gauges/Exercise.swift"))
    }

    func testEveryMutantFailsTheCheckMeantToCatchIt() {
        for mutant in Self.mutants {
            let report = CheckReport(running: CountersVsGaugesChecks.checks(mutant.classify))
            XCTAssertFalse(report.notAttempted, mutant.name)
            XCTAssertTrue(report.failedTitles.contains(mutant.caughtBy),
                          "the mutant '\(mutant.name)' should fail '\(mutant.caughtBy)'; failed: \(report.failedTitles)")
        }
    }

    func testEveryMutantFailsTheGeneratedCheck() {
        for mutant in Self.mutants {
            let report = CheckReport(running: CountersVsGaugesChecks.checks(mutant.classify))
            XCTAssertTrue(report.failedTitles.contains(Self.generatedTitle),
                          "the generated check should catch the mutant '\(mutant.name)'; failed: \(report.failedTitles)")
        }
    }

    func testTheGeneratedCheckTriesTwoThousandListsWithEverySignal() throws {
        let calls = CallCount()
        let checks = CountersVsGaugesChecks.checks { signal in
            calls.add(signal)
            return try solutionMetricKind(for: signal)
        }
        let generated = try XCTUnwrap(checks.first { $0.title == Self.generatedTitle })
        XCTAssertTrue(CheckReport(running: [generated]).passed)
        XCTAssertGreaterThanOrEqual(calls.total, 2_000)
        for signal in Signal.allCases {
            XCTAssertGreaterThanOrEqual(calls.count(of: signal), 200, "\(signal) should be asked about hundreds of times")
        }
    }

    func testAGeneratedFailureNamesTheSignal() throws {
        let backupAsCounter = try XCTUnwrap(Self.mutants.first { $0.name.contains("backup time") })
        let report = CheckReport(running: CountersVsGaugesChecks.checks(backupAsCounter.classify))
        guard case .failed(let failure)? = report.results.first(where: { $0.title == Self.generatedTitle })?.outcome else {
            return XCTFail("the generated check should fail")
        }
        XCTAssertEqual(failure.input, "metricKind(for: .lastBackupTime)")
        XCTAssertEqual(failure.expected, "lastBackupTime: gauge")
        XCTAssertEqual(failure.found, "lastBackupTime: counter")
    }

    func testAFailureShowsExpectedFoundAndTheHint() {
        let report = CheckReport(running: CountersVsGaugesChecks.checks(Self.mutants[0].classify))
        let text = report.rendered(for: lesson, subject: "Exercise.swift")
        XCTAssertTrue(text.contains("  ✗ queue length is a gauge: taking a job out of the queue makes it smaller\n      input:    metricKind(for: .queueLength)\n      expected: gauge\n      found:    counter"), text)
        XCTAssertTrue(text.contains("Hint: " + lesson.hint), text)
    }

    func testTheDemoLeavesTwoCountersAndThreeGauges() throws {
        let families = try CountersVsGaugesDemo.run(.quiet).collect()
        XCTAssertEqual(families.map(\.name), [
            "worker_cpu_temperature_celsius", "worker_errors", "worker_queue_length", "worker_requests", "worker_requests_in_flight",
        ])
        XCTAssertEqual(families.map(\.type), [.gauge, .counter, .gauge, .counter, .gauge])
    }

    func testTheDemoIsTheSameOnEveryRun() throws {
        XCTAssertEqual(try CountersVsGaugesDemo.run(.quiet).collect(), try CountersVsGaugesDemo.run(.quiet).collect())
    }

    func testSimulatedTrafficMovesCountersOnlyUpAndTheQueueBothWays() throws {
        let registry = try CountersVsGaugesDemo.run(.quiet)
        let worker = try Worker(registry: registry)
        var previousRequests = worker.requests.value, previousErrors = worker.errors.value
        var queueRose = false, queueFell = false, previousQueue = worker.queueLength.value
        for tick in 0..<240 {
            try CountersVsGaugesDemo.simulate(registry, tick: tick)
            XCTAssertGreaterThanOrEqual(worker.requests.value, previousRequests)
            XCTAssertGreaterThanOrEqual(worker.errors.value, previousErrors)
            queueRose = queueRose || worker.queueLength.value > previousQueue
            queueFell = queueFell || worker.queueLength.value < previousQueue
            XCTAssertGreaterThanOrEqual(worker.queueLength.value, 0)
            previousRequests = worker.requests.value
            previousErrors = worker.errors.value
            previousQueue = worker.queueLength.value
        }
        XCTAssertGreaterThan(worker.requests.value, 500)
        XCTAssertTrue(queueRose && queueFell, "the queue should fill in the busy spells and drain after them")
        XCTAssertEqual(registry.collect().count, 5, "simulate must reuse the demo's metrics, not add new ones")
    }

    /// Known-wrong versions of `metricKind(for:)`, each a mistake a learner could make, and the check that catches it.
    static let mutants: [(name: String, caughtBy: String, classify: CountersVsGaugesChecks.Classify)] = [
        ("queue length as a counter", "queue length is a gauge: taking a job out of the queue makes it smaller", { signal in
            signal == .queueLength ? .counter : try solutionMetricKind(for: signal)
        }),
        ("in-flight requests as a counter", "requests in flight is a gauge: every finished request lowers it", { signal in
            signal == .requestsInFlight ? .counter : try solutionMetricKind(for: signal)
        }),
        ("only goes up, so a counter: the backup time", "the time of the last backup is a gauge, though it only moves forward", { signal in
            signal == .lastBackupTime ? .counter : try solutionMetricKind(for: signal)
        }),
        ("amounts are gauges, only events are counted", "bytes sent is a counter: a running total of an amount, not of events", { signal in
            [.bytesSent, .cpuTimeUsed].contains(signal) ? .gauge : try solutionMetricKind(for: signal)
        }),
        ("how many of something: a counter", "connections accepted is a counter, open connections a gauge", { signal in
            [.queueLength, .requestsInFlight, .openConnections].contains(signal) ? .counter : try solutionMetricKind(for: signal)
        }),
        ("everything a gauge, since a gauge can go up too", "requests served is a counter: each answered request adds one", { _ in
            .gauge
        }),
        ("CPU time a reading, so a gauge", "CPU time used is a counter: seconds add up like bytes do", { signal in
            signal == .cpuTimeUsed ? .gauge : try solutionMetricKind(for: signal)
        }),
        ("bytes are a counter, whatever they measure: memory too", "memory in use is a gauge: freeing memory lowers it", { signal in
            [.bytesSent, .memoryInUse].contains(signal) ? .counter : try solutionMetricKind(for: signal)
        }),
        ("everything a counter but what is obviously a reading", "queue length is a gauge: taking a job out of the queue makes it smaller", { signal in
            [.temperature, .memoryInUse].contains(signal) ? .gauge : .counter
        }),
        ("jobs enqueued read as the queue, a gauge", "jobs enqueued is a counter, while the queue length is a gauge", { signal in
            signal == .jobsEnqueued ? .gauge : try solutionMetricKind(for: signal)
        }),
    ]

    /// The title of the check that compares with the reference on generated lists of signals.
    private static let generatedTitle = "2,000 generated lists of signals get the reference's answers"

    /// How many times a closure under test was asked about each signal, from any thread.
    private final class CallCount: Sendable {
        private let counts = Mutex([Signal: Int]())

        /// One more call, about `signal`.
        func add(_ signal: Signal) {
            counts.withLock { $0[signal, default: 0] += 1 }
        }

        /// The calls about `signal` so far.
        func count(of signal: Signal) -> Int {
            counts.withLock { $0[signal, default: 0] }
        }

        /// The calls so far.
        var total: Int {
            counts.withLock { $0.values.reduce(0, +) }
        }
    }
}
