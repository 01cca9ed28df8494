import Foundation
import WorkbookKit
import TestSupport
import XCTest

/// The `lesson` command and every lesson executable, run as a learner runs them.
final class WorkbookTests: XCTestCase {
    private func lessonCommand(_ arguments: [String], directory: String? = nil, progress: String? = nil) throws -> ProcessResult {
        let path = buildProductsFolder + "/lesson"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            XCTFail("the lesson command is not built at \(path); run swift build")
            throw CocoaError(.fileNoSuchFile)
        }
        // Run from the workbook's folder, as a learner does, but keep the learner's progress file out of it.
        let progress = progress ?? NSTemporaryDirectory() + "/workbook-progress-\(ProcessInfo.processInfo.processIdentifier)"
        return try runProcess(path, arguments, environment: ["WORKBOOK_PROGRESS_FILE": progress], directory: directory ?? packageRoot())
    }

    func testEveryLessonDemoRunsAndExitsZero() throws {
        for lesson in Workbook.lessons {
            let result = try lessonCommand(["\(lesson.number)"])
            XCTAssertEqual(result.status, 0, "lesson \(lesson.number): \(result.stderr)")
            XCTAssertTrue(result.stdout.contains(lesson.notesPath), "the demo should point to the notes")
            let bySlug = try lessonCommand([lesson.slug])
            XCTAssertEqual(bySlug.status, 0, "lesson \(lesson.slug): \(bySlug.stderr)")
            XCTAssertEqual(bySlug.stdout.split(separator: "\n").first, result.stdout.split(separator: "\n").first, "a lesson is reachable by slug too")
        }
    }

    func testEveryUntouchedExerciseFailsItsCheckAndEverySolutionPasses() throws {
        for lesson in Workbook.lessons {
            let source = try String(contentsOfFile: packageRoot() + "/" + lesson.exercisePath, encoding: .utf8)
            if source.contains("throw NotAttemptedYet()") {
                let exercise = try lessonCommand(["check", "\(lesson.number)"])
                XCTAssertEqual(exercise.status, 1, "lesson \(lesson.number)")
                XCTAssertTrue(exercise.stdout.contains("not attempted yet"), exercise.stdout)
                XCTAssertTrue(exercise.stdout.contains(lesson.exercisePath), "the message should say which file to edit")
            }
            let solution = try lessonCommand(["check", "\(lesson.number)", "--solution"])
            XCTAssertEqual(solution.status, 0, "lesson \(lesson.number): \(solution.stdout)")
            XCTAssertTrue(solution.stdout.contains("checks passed"), solution.stdout)
        }
    }

    func testEveryLessonsMetricsPassPromtoolAndTheStrictOpenMetricsParser() throws {
        for lesson in Workbook.lessons {
            let text = try lessonCommand(["metrics", "\(lesson.number)"])
            XCTAssertEqual(text.status, 0, text.stderr)
            XCTAssertFalse(text.stdout.isEmpty)
            let lint = try ExpositionCheck.promtoolFindings(text.stdout)
            XCTAssertEqual(lint.status, 0, "lesson \(lesson.number): \(lint.findings)")
            XCTAssertEqual(lint.findings, "", "lesson \(lesson.number): promtool check metrics should find nothing")
            let openMetrics = try lessonCommand(["metrics", "\(lesson.number)", "--format", "openmetrics"])
            XCTAssertEqual(openMetrics.status, 0, openMetrics.stderr)
            let parsed = try ExpositionCheck.pythonSamples(openMetrics.stdout, openMetrics: true)
            XCTAssertEqual(parsed.status, 0, "lesson \(lesson.number): \(parsed.error)")
            XCTAssertFalse(parsed.samples.isEmpty)
        }
    }

    func testHintAndList() throws {
        let hint = try lessonCommand(["hint", "1"])
        XCTAssertEqual(hint.status, 0)
        XCTAssertTrue(hint.stdout.contains(Workbook.lessons[0].hint))
        let list = try lessonCommand(["list"])
        XCTAssertEqual(list.status, 0)
        for lesson in Workbook.lessons {
            XCTAssertTrue(list.stdout.contains(lesson.slug) && list.stdout.contains(lesson.title), list.stdout)
        }
        XCTAssertEqual(try lessonCommand([]).stdout, list.stdout, "no arguments lists the lessons")
    }

    func testCheckRecordsProgressThatListShows() throws {
        let file = NSTemporaryDirectory() + "/workbook-progress-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let before = try lessonCommand(["list"], progress: file)
        XCTAssertTrue(before.stdout.contains("unchecked"))
        let check = try lessonCommand(["check", "1"], progress: file)
        let progress = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertTrue(progress.hasPrefix(check.status == 0 ? "1 passed " : "1 failed "), progress)
        XCTAssertEqual(progress.split(separator: " ").count, 3, "the state and the exercise's fingerprint: \(progress)")
        let after = try lessonCommand(["list"], progress: file)
        XCTAssertTrue(after.stdout.contains(check.status == 0 ? "passed" : "not yet"), after.stdout)
    }

    func testBadInputGetsOneClearLineAndANonZeroExit() throws {
        let cases: [([String], String)] = [
            (["99"], #"lesson: no lesson or command "99"; `swift run lesson list` shows the lessons, `swift run lesson help` the commands"#),
            (["check", "99"], #"lesson: no lesson "99"; there are \#(Workbook.lessons.count) (`swift run lesson list` shows them)"#),
            (["check"], "lesson: name a lesson: a number from 1 to \(Workbook.lessons.count), or a slug"),
            (["metrics", "1", "--format", "json"], "lesson: --format takes prometheus or openmetrics"),
            (["--verbose"], "lesson: unknown option --verbose"),
            (["check", "1", "--solutions"], "lesson: unexpected --solutions after check 1"),
        ]
        for (arguments, message) in cases {
            let result = try lessonCommand(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments)")
            XCTAssertEqual(result.stderr, message + "\n", "\(arguments)")
            XCTAssertEqual(result.stdout, "", "\(arguments)")
        }
    }

    func testTheReadmeTableListsEveryLessonFromTheManifest() throws {
        let readme = try String(contentsOfFile: packageRoot() + "/README.org", encoding: .utf8)
        let section = readme.components(separatedBy: "\n* The lessons\n").last?.components(separatedBy: "\n* ").first ?? ""
        let rows = section.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| # ") }
        let expected = Workbook.lessons.map { "| \($0.number) | [[file:\($0.notesPath)][\($0.title)]] | \($0.concept) |" }
        XCTAssertEqual(rows.map(String.init), expected, "README.org's lesson table must match Workbook.lessons")
        for lesson in Workbook.lessons {
            XCTAssertTrue(FileManager.default.fileExists(atPath: packageRoot() + "/" + lesson.notesPath), "notes for lesson \(lesson.number)")
        }
    }
}
