import Instrumentation
import WorkbookKit
import TestSupport
import XCTest

@testable import Lesson01Exposition

/// Lesson 1: the solution passes every check, known-wrong versions each fail one, and the
/// learner's exercise is checked once attempted.
final class ExpositionLessonTests: XCTestCase {
    func testTheSolutionPassesEveryCheck() {
        let report = CheckReport(running: ExpositionChecks.checks(solutionRenderSampleLine))
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
        XCTAssertEqual(report.results.count, 9)
    }

    func testTheLearnersExerciseCompilesAndPassesOnceAttempted() throws {
        try LearnersExercise.check(Workbook.lessons[0])
    }

    func testAnUntouchedExerciseIsReportedAsNotAttempted() {
        let report = CheckReport(running: ExpositionChecks.checks { _, _, _ in throw NotAttemptedYet() })
        XCTAssertTrue(report.notAttempted)
        XCTAssertFalse(report.passed)
        XCTAssertTrue(report.rendered(for: Workbook.lessons[0], subject: "x").contains("Sources/Lessons/01-exposition/Exercise.swift"))
    }

    func testEveryMutantFailsAtLeastOneCheck() {
        for (name, mutant) in Self.mutants {
            let report = CheckReport(running: ExpositionChecks.checks(mutant))
            XCTAssertFalse(report.notAttempted, name)
            XCTAssertFalse(report.passed, "the checks should catch the mutant '\(name)'")
        }
    }

    func testAFailureShowsExpectedFoundAndTheHint() {
        let report = CheckReport(running: ExpositionChecks.checks(Self.mutants[0].render))
        let text = report.rendered(for: Workbook.lessons[0], subject: "Exercise.swift")
        XCTAssertTrue(text.contains(#"      expected: log_lines_total{message="say \"hi\""} 1"#), text)
        XCTAssertTrue(text.contains(#"      found:    log_lines_total{message="say "hi""} 1"#), text)
        XCTAssertTrue(text.contains("Hint: "), text)
    }

    /// Known-wrong versions of `renderSampleLine`, each a mistake a learner could make.
    static let mutants: [(name: String, render: ExpositionChecks.Render)] = [
        ("label values not escaped", { name, labels, value in
            render(name, labels, value, escape: { $0 })
        }),
        ("no braces around the labels", { name, labels, value in
            let pairs = labels.map { "\($0.name)=\"\(escapeCorrectly($0.value))\"" }.joined(separator: ",")
            return name + (labels.isEmpty ? "" : pairs) + " " + formatSampleValue(value, for: .prometheus)
        }),
        ("braces even without labels", { name, labels, value in
            let pairs = labels.map { "\($0.name)=\"\(escapeCorrectly($0.value))\"" }.joined(separator: ",")
            return name + "{" + pairs + "}" + " " + formatSampleValue(value, for: .prometheus)
        }),
        ("quote escaped before backslash", { name, labels, value in
            render(name, labels, value, escape: {
                $0.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
            })
        }),
        ("newline left raw", { name, labels, value in
            render(name, labels, value, escape: { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") })
        }),
        ("labels sorted by name", { name, labels, value in
            try solutionRenderSampleLine(name: name, labels: labels.sorted { $0.name < $1.name }, value: value)
        }),
        ("value printed with Swift's description", { name, labels, value in
            render(name, labels, value, escape: escapeCorrectly, format: { "\($0)" })
        }),
        ("trailing newline", { name, labels, value in
            try solutionRenderSampleLine(name: name, labels: labels, value: value) + "\n"
        }),
    ]

    private static func escapeCorrectly(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func render(
        _ name: String, _ labels: [(name: String, value: String)], _ value: Double,
        escape: (String) -> String, format: (Double) -> String = { formatSampleValue($0, for: .prometheus) }
    ) -> String {
        let pairs = labels.map { "\($0.name)=\"\(escape($0.value))\"" }.joined(separator: ",")
        return name + (labels.isEmpty ? "" : "{\(pairs)}") + " " + format(value)
    }
}
