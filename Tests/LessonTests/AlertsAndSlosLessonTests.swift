import Foundation
import Platform
import Instrumentation
import TimeSeries
import PromQL
import WorkbookKit
import TestSupport
import XCTest

@testable import Lesson11AlertsAndSlos

/// Lesson 11: the solution passes every check, known-wrong versions each fail one, the
/// learner's exercise is checked once attempted, and the stack's rules pass promtool.
final class AlertsAndSlosLessonTests: XCTestCase {
    private static let lesson = Workbook.lessons[10]
    private static let rulesFile = "stack/prometheus/rules/workbook.rules.yml"
    private static let rulesTestFile = "stack/prometheus/tests/workbook.rules.test.yml"

    func testTheSolutionPassesEveryCheck() {
        let report = CheckReport(running: AlertsAndSlosChecks.checks(solutionShouldPage))
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
        XCTAssertEqual(report.results.count, 11)
    }

    /// The generated check really asks thousands of questions, and the blank stops it at the first.
    func testTheGeneratedCheckTriesAtLeastTwoThousandInputs() {
        let calls = Locked(0)
        let generated = AlertsAndSlosChecks.checks { short, long, slo in
            calls.withLock { $0 += 1 }
            return try solutionShouldPage(shortWindowErrorRatio: short, longWindowErrorRatio: long, slo: slo)
        }.last!
        XCTAssertTrue(CheckReport(running: [generated]).passed)
        XCTAssertGreaterThanOrEqual(calls.withLock { $0 }, Check.generatedInputCount)
    }

    /// Near the threshold the two ways of writing the comparison can round apart; both pass.
    func testBothWaysOfComparingWithTheThresholdPass() {
        let multiplied: AlertsAndSlosChecks.ShouldPage = { short, long, slo in
            guard slo > 0, slo < 1 else { throw InvalidObjective(slo: slo) }
            return short > 14.4 * (1 - slo) && long > 14.4 * (1 - slo)
        }
        let report = CheckReport(running: AlertsAndSlosChecks.checks(multiplied))
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
    }

    func testAGeneratedFailureShowsTheInputTheAnswersAndTheSeed() {
        let report = CheckReport(running: AlertsAndSlosChecks.checks(Self.mutants.first { $0.name.hasPrefix("Float") }!.shouldPage))
        let text = report.rendered(for: Self.lesson, subject: "Exercise.swift")
        XCTAssertTrue(text.contains("  ✗ agrees with the reference on generated ratios and objectives\n      input:    shouldPage(shortWindowErrorRatio: "), text)
        XCTAssertTrue(text.contains("WORKBOOK_CHECK_SEED="), text)
        XCTAssertFalse(text.contains("Optional("), text)
    }

    func testTheLearnersExerciseCompilesAndPassesOnceAttempted() throws {
        try LearnersExercise.check(Workbook.lessons[10])
    }

    func testAnUntouchedExerciseIsReportedAsNotAttempted() {
        let report = CheckReport(running: AlertsAndSlosChecks.checks { _, _, _ in throw NotAttemptedYet() })
        XCTAssertTrue(report.notAttempted)
        XCTAssertFalse(report.passed)
        XCTAssertTrue(report.rendered(for: Self.lesson, subject: "x").contains(Self.lesson.exercisePath))
    }

    func testEveryMutantFailsTheCheckWrittenForIt() {
        for mutant in Self.mutants {
            let report = CheckReport(running: AlertsAndSlosChecks.checks(mutant.shouldPage))
            XCTAssertFalse(report.notAttempted, mutant.name)
            XCTAssertTrue(
                report.failedTitles.contains { $0.hasPrefix(mutant.caughtBy) },
                "the mutant '\(mutant.name)' should fail '\(mutant.caughtBy)'; it fails \(report.failedTitles)")
        }
    }

    func testAFailureShowsExpectedFoundAndTheHint() {
        let report = CheckReport(running: AlertsAndSlosChecks.checks(Self.mutants[0].shouldPage))
        let text = report.rendered(for: Self.lesson, subject: "Exercise.swift")
        XCTAssertTrue(text.contains("""
              ✗ both windows at 2 % errors against a 99.9 % SLO (burn rate 20): page
                  input:    short 0.02, long 0.02, slo 0.999
                  expected: true
                  found:    false
            """), text)
        XCTAssertTrue(text.contains("Hint: " + Self.lesson.hint), text)
    }

    // MARK: The rules on the stack

    func testPromtoolAcceptsTheRulesFile() throws {
        let result = try runProcess(try RealTools.promtool(), ["check", "rules", Self.rulesFile], directory: packageRoot())
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("SUCCESS: 13 rules found"), result.stdout)
    }

    /// The stack runs Prometheus 3, and its rule tests hold there: replayed through the
    /// engine in Prometheus 3 semantics, every expectation in the test file is met.
    func testTheRuleTestsHoldUnderPrometheus3() throws {
        let replay = try Self.ruleTestReplay()
        XCTAssertEqual(try replay.differences(replay.run(.prometheus3)), [])
    }

    /// The replay itself is held against the real promtool (2.42 here): what it computes in
    /// Prometheus 2 semantics, written as the expectations of the same tests, passes
    /// `promtool test rules`. And the file really is for 3.x: 2.x reads the window's first
    /// sample too, so some of its expectations differ.
    func testTheReplayInPrometheus2ModeIsWhatPromtoolComputes() throws {
        let replay = try Self.ruleTestReplay()
        let outcome = try replay.run(.prometheus2)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rule-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("prometheus2.rules.test.yml").path
        let yaml = try replay.rewritten(with: outcome, rulesPath: packageRoot() + "/" + Self.rulesFile, python: try RealTools.pythonWithYAML())
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runProcess(try RealTools.promtool(), ["test", "rules", file])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("SUCCESS"), result.stdout)
        XCTAssertFalse(try replay.differences(outcome).isEmpty, "the test file's expectations should be Prometheus 3's, not 2's")
    }

    /// A wrong expectation is reported: the replay can fail.
    func testTheReplayReportsAWrongExpectation() throws {
        var replay = try Self.ruleTestReplay()
        var groups = replay.groups
        var exprTests = groups[0]["promql_expr_test"] as! [[String: Any]]
        var samples = exprTests[0]["exp_samples"] as! [[String: Any]]
        samples[0]["value"] = "\(try RuleTestReplay.number(samples[0]["value"]).nextUp)"
        exprTests[0]["exp_samples"] = samples
        groups[0]["promql_expr_test"] = exprTests
        replay.tests["tests"] = groups
        let differences = try replay.differences(replay.run(.prometheus3))
        XCTAssertEqual(differences.count, 1, "\(differences)")
        XCTAssertEqual(try RuleTestReplay.expand("1+2x3 _ _x2 4x1 stale 5-1x2").map { $0.map { $0.isNaN ? "stale" : "\($0)" } ?? "_" },
                       ["1.0", "3.0", "5.0", "7.0", "_", "_", "_", "4.0", "4.0", "stale", "5.0", "4.0", "3.0"])
    }

    private static func ruleTestReplay() throws -> RuleTestReplay {
        try RuleTestReplay(rulesFile: packageRoot() + "/" + rulesFile, testFile: packageRoot() + "/" + rulesTestFile, python: RealTools.pythonWithYAML())
    }

    func testTheDemoEvaluatesTheRulesAsTheRulesFileWritesThem() throws {
        let file = try String(contentsOfFile: packageRoot() + "/" + Self.rulesFile, encoding: .utf8)
        for rule in WorkbookRules.recording {
            XCTAssertTrue(file.contains("- record: \(rule.record)\n        expr: \(rule.expr)\n"), "\(rule.record) differs from the rules file")
        }
        for rule in WorkbookRules.alerts {
            var block = "- alert: \(rule.alert)\n        expr: \(rule.expr)\n"
            if rule.holdMinutes > 0 { block += "        for: \(rule.holdMinutes)m\n" }
            block += "        labels:\n          severity: \(rule.severity)\n"
            if let window = rule.longWindow { block += "          long_window: \(window)\n" }
            XCTAssertTrue(file.contains(block), "\(rule.displayName) differs from the rules file")
        }
        XCTAssertEqual(file.components(separatedBy: "- record: ").count - 1, WorkbookRules.recording.count)
        XCTAssertEqual(file.components(separatedBy: "- alert: ").count - 1, WorkbookRules.alerts.count)
    }

    /// The first promtool test group's steady traffic, evaluated with the workbook's PromQL
    /// engine: the recording rules give exactly the values promtool expects.
    func testTheEngineComputesTheValuesThePromtoolTestsExpect() throws {
        let store = SeriesStore()
        let base = ["job": "workbook", "instance": "127.0.0.1:3001", "method": "GET", "route": "/items"]
        let perMinute: [(name: String, labels: [String: String], increase: Double)] = [
            ("http_requests_total", ["code": "200"], 5994), ("http_requests_total", ["code": "500"], 6),
            ("http_request_duration_seconds_bucket", ["le": "0.3"], 5400), ("http_request_duration_seconds_bucket", ["le": "0.6"], 5970),
            ("http_request_duration_seconds_bucket", ["le": "1.2"], 5994), ("http_request_duration_seconds_bucket", ["le": "+Inf"], 6000),
            ("http_request_duration_seconds_count", [:], 6000),
        ]
        for minute in 0...120 {
            for series in perMinute {
                let labels = LabelSet(name: series.name, base.merging(series.labels) { $1 })
                store.append(labels, timestamp: Int64(minute) * 60_000, value: Double(minute) * series.increase)
            }
        }
        let engine = PromQLEngine(store: store)
        var found: [String: Double] = [:]
        for rule in WorkbookRules.recording {
            guard case .vector(let elements) = try engine.evaluate(rule.expr, at: 3_600_000), let element = elements.first else { continue }
            store.append(element.labels.setting(LabelSet.metricNameLabel, to: rule.record), timestamp: 3_600_000, value: element.value)
            found[rule.record] = element.value
        }
        XCTAssertEqual(found["job:http_requests:rate5m"], 100)
        XCTAssertEqual(found["job:http_request_errors:rate5m"], 0.1)
        XCTAssertEqual(found["job:http_request_errors:ratio_rate5m"], 0.001)
        XCTAssertEqual(found["job:http_requests_fast:ratio_rate5m"], 0.995)
        XCTAssertEqual(found["job:http_request_duration_seconds:apdex_rate5m"], 0.9495)
    }

    // MARK: The demo

    func testTheDemosTimelineFiresEachAlertWhenTheNotesSay() throws {
        let clock = ManualClock(AlertsAndSlosDemo.startTime)
        let evaluations = try AlertsAndSlosDemo.runTheService(registry: Registry(clock: clock), clock: clock)
        XCTAssertEqual(evaluations.count, AlertsAndSlosDemo.timelineMinutes + 1)
        func minutes(_ name: String, _ state: AlertsAndSlosDemo.AlertState) -> [Int] {
            let index = WorkbookRules.alerts.firstIndex { $0.displayName == name }!
            return evaluations.filter { $0.states[index] == state }.map(\.minute)
        }
        XCTAssertEqual(minutes("HighErrorRatio", .pending), Array(23...27))
        XCTAssertEqual(minutes("HighErrorRatio", .firing), Array(28...37))
        XCTAssertEqual(minutes("ErrorBudgetBurn (1h)", .firing), Array(29...38))
        XCTAssertEqual(minutes("ErrorBudgetBurn (6h)", .firing), [])
        XCTAssertEqual(minutes("LatencySLOBreach", .firing), Array(101...124))
        XCTAssertEqual(minutes("ApdexBelowTarget", .firing), Array(103...122))
    }

    func testSimulateCountsRequestsAndMovesTheClock() throws {
        let registry = Registry(clock: ManualClock(AlertsAndSlosDemo.startTime))
        for tick in 0..<120 {
            try AlertsAndSlosDemo.simulate(registry, tick: tick)
        }
        XCTAssertEqual(registry.clock.now(), AlertsAndSlosDemo.startTime + 120)
        let requests = registry.collect().first { $0.name == "http_requests" }
        let total = requests?.series.reduce(0.0) { sum, series in
            guard case .counter(let value) = series.value else { return sum }
            return sum + value
        }
        XCTAssertEqual(total, Double(120 * AlertsAndSlosDemo.requestsPerSecond))
    }

    // MARK: Known-wrong versions

    /// Known-wrong versions of `shouldPage`, each a mistake a learner could make, with the check that catches it.
    static let mutants: [(name: String, caughtBy: String, shouldPage: AlertsAndSlosChecks.ShouldPage)] = [
        ("budget computed from the SLO instead of 1 − SLO", "both windows at 2 % errors", { short, long, slo in
            try validated(slo)
            return short / slo > 14.4 && long / slo > 14.4
        }),
        ("only the long window checked", "an incident that is over", { _, long, slo in
            try validated(slo)
            return long / (1 - slo) > 14.4
        }),
        ("only the short window checked", "a spike that has just begun", { short, _, slo in
            try validated(slo)
            return short / (1 - slo) > 14.4
        }),
        ("either window instead of both", "an incident that is over", { short, long, slo in
            try validated(slo)
            return short / (1 - slo) > 14.4 || long / (1 - slo) > 14.4
        }),
        ("burn rate compared with >= instead of >", "a burn rate of exactly 14.4", { short, long, slo in
            try validated(slo)
            return short / (1 - slo) >= 14.4 && long / (1 - slo) >= 14.4
        }),
        ("budget fixed at 0.001 whatever the SLO", "the budget is 1 − SLO", { short, long, slo in
            try validated(slo)
            return short / 0.001 > 14.4 && long / 0.001 > 14.4
        }),
        ("SLO read as a percentage", "both windows at 2 % errors", { short, long, slo in
            try validated(slo)
            return short / (1 - slo / 100) > 14.4 && long / (1 - slo / 100) > 14.4
        }),
        ("NaN treated as burning (not <= instead of >)", "a window without requests", { short, long, slo in
            try validated(slo)
            return !(short / (1 - slo) <= 14.4) && !(long / (1 - slo) <= 14.4)
        }),
        ("SLO not validated", "an SLO of 1 (no budget), 0, 99.9", { short, long, slo in
            short / (1 - slo) > 14.4 && long / (1 - slo) > 14.4
        }),
        ("SLO refused with slo <= 0 || slo >= 1, which lets NaN through", "an SLO of 1 (no budget), 0, 99.9", { short, long, slo in
            if slo <= 0 || slo >= 1 { throw InvalidObjective(slo: slo) }
            return short / (1 - slo) > 14.4 && long / (1 - slo) > 14.4
        }),
        ("an SLO above 1 read as a percentage", "an SLO of 1 (no budget), 0, 99.9", { short, long, slo in
            let fraction = slo > 1 ? slo / 100 : slo
            try validated(fraction)
            return short / (1 - fraction) > 14.4 && long / (1 - fraction) > 14.4
        }),
        ("Float precision", generatedTitle, { short, long, slo in
            try validated(slo)
            let budget = Float(1 - slo)
            return Float(short) / budget > 14.4 && Float(long) / budget > 14.4
        }),
        ("threshold 14 instead of 14.4", generatedTitle, { short, long, slo in
            try validated(slo)
            return short / (1 - slo) > 14 && long / (1 - slo) > 14
        }),
        ("burn rates rounded to one decimal", generatedTitle, { short, long, slo in
            try validated(slo)
            return (short / (1 - slo) * 10).rounded() / 10 > 14.4 && (long / (1 - slo) * 10).rounded() / 10 > 14.4
        }),
        ("the rule's constant 14.4 * 0.001 whatever the SLO", generatedTitle, { short, long, slo in
            try validated(slo)
            return short > 14.4 * 0.001 && long > 14.4 * 0.001
        }),
        ("the smaller window with Swift.min (NaN in the long window pages)", "a window without requests", { short, long, slo in
            try validated(slo)
            return min(short, long) / (1 - slo) > 14.4
        }),
        ("the smaller window with Double.minimum (a NaN window is skipped)", "a window without requests", { short, long, slo in
            try validated(slo)
            return Double.minimum(short, long) / (1 - slo) > 14.4
        }),
        ("the multiplied comparison with >=", generatedTitle, { short, long, slo in
            try validated(slo)
            return short >= 14.4 * (1 - slo) && long >= 14.4 * (1 - slo)
        }),
        ("NaN read as a full outage (ratio 1)", "a window without requests", { short, long, slo in
            try validated(slo)
            return (short.isNaN ? 1 : short) / (1 - slo) > 14.4 && (long.isNaN ? 1 : long) / (1 - slo) > 14.4
        }),
        ("the 6h rule's threshold, 6", generatedTitle, { short, long, slo in
            try validated(slo)
            return short / (1 - slo) > 6 && long / (1 - slo) > 6
        }),
    ]

    private static let generatedTitle = "agrees with the reference on generated"

    private static func validated(_ slo: Double) throws {
        guard slo > 0, slo < 1 else { throw InvalidObjective(slo: slo) }
    }
}
