import Foundation
import Instrumentation
import Synchronization
import WorkbookKit
import TestSupport
import XCTest

@testable import Lesson01Exposition

/// Lesson 1: the solution passes every check, known-wrong versions each fail the generated
/// check, and the learner's exercise is checked once attempted.
final class ExpositionLessonTests: XCTestCase {
    /// The title of the check that compares with the reference on generated lines.
    private static let generatedTitle = "2,000 generated lines match the reference, byte for byte"

    func testTheSolutionPassesEveryCheck() {
        let report = CheckReport(running: ExpositionChecks.checks(solutionRenderSampleLine))
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
        XCTAssertEqual(report.results.count, 12)
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

    func testEveryMutantFailsTheGeneratedCheck() {
        for (name, mutant) in Self.mutants {
            let report = CheckReport(running: ExpositionChecks.checks(mutant))
            XCTAssertFalse(report.notAttempted, name)
            XCTAssertTrue(report.failedTitles.contains(Self.generatedTitle),
                          "the generated check should catch the mutant '\(name)'; failed: \(report.failedTitles)")
        }
    }

    func testTheGeneratedCheckTriesTwoThousandLines() throws {
        let calls = CallCount()
        let checks = ExpositionChecks.checks { name, labels, value in
            calls.add()
            return try solutionRenderSampleLine(name: name, labels: labels, value: value)
        }
        let generated = try XCTUnwrap(checks.first { $0.title == Self.generatedTitle })
        XCTAssertTrue(CheckReport(running: [generated]).passed)
        XCTAssertGreaterThanOrEqual(calls.value, 2_000)
    }

    func testAFailureShowsExpectedFoundAndTheHint() {
        let report = CheckReport(running: ExpositionChecks.checks(Self.mutants[0].render))
        let text = report.rendered(for: Workbook.lessons[0], subject: "Exercise.swift")
        XCTAssertTrue(text.contains(#"      input:    renderSampleLine(name: "log_lines_total", labels: [("message", "say \"hi\"")], value: 1.0)"#), text)
        XCTAssertTrue(text.contains(#"      expected: "log_lines_total{message=\"say \\\"hi\\\"\"} 1""#), text)
        XCTAssertTrue(text.contains(#"      found:    "log_lines_total{message=\"say \"hi\"\"} 1""#), text)
        XCTAssertTrue(text.contains("Hint: "), text)
    }

    func testAGeneratedFailureShowsTheShrunkInputAndTheSeed() throws {
        let escapedByCharacter = try XCTUnwrap(Self.mutants.first { $0.name.hasPrefix("escaped Character by Character") })
        let report = CheckReport(running: ExpositionChecks.checks(escapedByCharacter.render))
        guard case .failed(let failure)? = report.results.first(where: { $0.title == Self.generatedTitle })?.outcome else {
            return XCTFail("the generated check should fail")
        }
        XCTAssertNotNil(failure.seed)
        let input = try XCTUnwrap(failure.input)
        XCTAssertTrue(input.hasPrefix("renderSampleLine(name: "), input)
        // Shrunk to one label whose value is a single multi-scalar character.
        XCTAssertTrue(input.contains(#"\r\n"#) || input.contains("\u{301}"), input)
        XCTAssertFalse(failure.expected.contains("Optional("), failure.expected)
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
        ("escaped Character by Character: misses the line feed of CR LF", { name, labels, value in
            render(name, labels, value, escape: { text in
                var escaped = ""
                for character in text {
                    switch character {
                    case "\\": escaped += "\\\\"
                    case "\"": escaped += "\\\""
                    case "\n": escaped += "\\n"
                    default: escaped.append(character)
                    }
                }
                return escaped
            })
        }),
        ("escaped with String.replacing, backslash first: matches whole Characters", { name, labels, value in
            render(name, labels, value, escape: {
                $0.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
            })
        }),
        ("a carriage return escaped as \\r too", { name, labels, value in
            render(name, labels, value, escape: { escapeCorrectly($0).replacingOccurrences(of: "\r", with: "\\r") })
        }),
        ("a tab escaped as \\t too", { name, labels, value in
            render(name, labels, value, escape: { escapeCorrectly($0).replacingOccurrences(of: "\t", with: "\\t") })
        }),
        ("escaped with Swift's debugDescription", { name, labels, value in
            render(name, labels, value, escape: { String($0.debugDescription.dropFirst().dropLast()) })
        }),
        ("pairs joined by a comma and a space", { name, labels, value in
            let pairs = labels.map { "\($0.name)=\"\(escapeCorrectly($0.value))\"" }.joined(separator: ", ")
            return name + (labels.isEmpty ? "" : "{\(pairs)}") + " " + formatSampleValue(value, for: .prometheus)
        }),
        ("value written with %g", { name, labels, value in
            render(name, labels, value, escape: escapeCorrectly, format: { value in
                value.isNaN ? "NaN" : value.isInfinite ? (value < 0 ? "-Inf" : "+Inf") : String(format: "%g", value)
            })
        }),
        ("value written with description, .0 cut off", { name, labels, value in
            render(name, labels, value, escape: escapeCorrectly, format: { value in
                if value.isNaN { return "NaN" }
                if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
                let text = "\(value)"
                return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
            })
        }),
        ("value written in OpenMetrics style (3.0)", { name, labels, value in
            render(name, labels, value, escape: escapeCorrectly, format: { formatSampleValue($0, for: .openmetrics) })
        }),
    ]

    /// The three escapes, done right (Foundation's replacing works on UTF-16 code units, not Characters).
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
