import Foundation
import HTTP
import TestSupport
import WorkbookKit
import XCTest

/// The lessons package (`Sources/Lessons/Package.swift`): one program per lesson, built on
/// demand, so that a half-written exercise stops only its own lesson.
final class LessonsPackageTests: XCTestCase {
    /// The lessons package's products, as SwiftPM reads its manifest.
    private func lessonProducts() throws -> [String: [String]] {
        let result = try runProcess("/usr/bin/env", ["swift", "package", "--package-path", packageRoot() + "/Sources/Lessons", "dump-package"], timeout: 300)
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        var products: [String: [String]] = [:]
        for product in json?["products"] as? [[String: Any]] ?? [] {
            products[product["name"] as? String ?? ""] = product["targets"] as? [String] ?? []
        }
        return products
    }

    func testEveryLessonHasOneProgramAndTheStackImageBuildsAndShipsEachOne() throws {
        let products = try lessonProducts()
        XCTAssertEqual(Set(products.keys), Set(Workbook.lessons.map(\.executableName)), "one program per lesson in the manifest, no more")
        for lesson in Workbook.lessons {
            XCTAssertEqual(products[lesson.executableName], [lesson.libraryName + "Program"])
        }
        // No Docker engine runs here, so the image's build steps are read against the manifest.
        let dockerfile = try String(contentsOfFile: packageRoot() + "/stack/Dockerfile", encoding: .utf8)
        let build = try XCTUnwrap(dockerfile.split(separator: "\n").first { $0.contains("--package-path Sources/Lessons") },
                                  "the image must build the lessons package")
        XCTAssertFalse(build.contains("--product"), "the image builds every lesson's product, not a chosen few: \(build)")
        XCTAssertTrue(build.contains("-c release") && build.contains("--scratch-path .build/lessons"), String(build))
        let copy = try XCTUnwrap(dockerfile.split(separator: "\n").first { $0.contains("cp .build/release/lesson ") })
        let pattern = try XCTUnwrap(copy.split(separator: " ").first { $0.hasPrefix(".build/lessons/release/") })
        let glob = pattern.dropFirst(".build/lessons/release/".count)
        for lesson in Workbook.lessons {
            XCTAssertTrue(Self.matches(glob: String(glob), lesson.executableName), "\(pattern) must copy \(lesson.executableName)")
        }
        XCTAssertTrue(dockerfile.contains(#"CMD ["lesson", "serve", "all""#))
    }

    /// A shell glob with `*` and character classes such as `[0-9]`, enough for the Dockerfile's copy line.
    private static func matches(glob: String, _ name: String) -> Bool {
        var pattern = "^", inClass = false
        for character in glob {
            switch character {
            case "*" where !inClass: pattern += ".*"
            case "[": inClass = true; pattern += "["
            case "]": inClass = false; pattern += "]"
            default: pattern += inClass ? String(character) : NSRegularExpression.escapedPattern(for: String(character))
            }
        }
        return name.range(of: pattern + "$", options: .regularExpression) != nil
    }

    /// In a copy of the workbook whose lesson 3 exercise does not compile: the workbook and its
    /// tests still build, every other lesson's commands work, `check 3` shows the compiler's
    /// message, and `swift test` fails lesson 3's exercise test alone, naming the file.
    func testAnExerciseThatDoesNotCompileStopsOnlyItsOwnLesson() throws {
        if ThreadSanitizerRun.isOn {
            throw XCTSkip("builds a copy of the workbook; the plain `swift test` run does it")
        }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("workbook-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: copy) }
        for item in ["Package.swift", "Sources", "Tests", "lessons", "stack"] {
            try FileManager.default.copyItem(at: LearnersExercise.root.appendingPathComponent(item), to: copy.appendingPathComponent(item))
        }
        // Every exercise as shipped (the learner's own work stays out of the copy), then lesson 3 broken.
        for lesson in Workbook.lessons {
            let exercise = copy.appendingPathComponent(lesson.exercisePath)
            let shipped = try runProcess("/usr/bin/env", ["git", "-C", packageRoot(), "show", "HEAD:" + lesson.exercisePath], timeout: 60)
            if shipped.status == 0 { try shipped.stdout.write(to: exercise, atomically: true, encoding: .utf8) }
        }
        let broken = copy.appendingPathComponent(Workbook.lessons[2].exercisePath)
        let source = try String(contentsOf: broken, encoding: .utf8)
        try source.replacingOccurrences(of: "throw NotAttemptedYet()", with: "let halfWritten: Int = \"not yet\"\n    throw NotAttemptedYet()")
            .write(to: broken, atomically: true, encoding: .utf8)

        let swiftBuild = try runProcess("/usr/bin/env", ["swift", "build", "--build-tests"], directory: copy.path, timeout: 1200)
        XCTAssertEqual(swiftBuild.status, 0, "the workbook and its tests build around a broken exercise:\n\(swiftBuild.stdout.suffix(3000))\(swiftBuild.stderr.suffix(2000))")
        let lesson = copy.appendingPathComponent(".build/debug/lesson").path
        let progress = copy.appendingPathComponent("progress").path
        func run(_ arguments: [String]) throws -> ProcessResult {
            try runProcess(lesson, arguments, environment: ["WORKBOOK_PROGRESS_FILE": progress], directory: copy.path, timeout: 900)
        }
        let list = try run(["list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("histogram-buckets"))
        let hint = try run(["hint", "5"])
        XCTAssertEqual(hint.status, 0, hint.stderr)
        XCTAssertTrue(hint.stdout.contains(Workbook.lessons[4].hint))
        XCTAssertFalse(FileManager.default.fileExists(atPath: copy.appendingPathComponent(".build/lessons").path),
                       "list and hint build no lesson")
        let demo = try run(["5"])
        XCTAssertEqual(demo.status, 0, demo.stderr)
        XCTAssertTrue(demo.stdout.contains(Workbook.lessons[4].notesPath))
        let check5 = try run(["check", "5"])
        XCTAssertEqual(check5.status, 1, "untouched, so not passed: \(check5.stderr)")
        XCTAssertTrue(check5.stdout.contains("not attempted yet"), check5.stdout)
        let solution5 = try run(["check", "5", "--solution"])
        XCTAssertEqual(solution5.status, 0, solution5.stdout + solution5.stderr)
        let check3 = try run(["check", "3"])
        XCTAssertEqual(check3.status, 1)
        XCTAssertTrue(check3.stderr.contains("Sources/Lessons/03-rate-and-resets/Exercise.swift:"), check3.stderr)
        XCTAssertTrue(check3.stderr.contains("error: cannot convert value of type 'String' to specified type 'Int'"), check3.stderr)
        XCTAssertTrue(check3.stderr.contains("let halfWritten: Int = \"not yet\""), "the compiler's source excerpt is shown: \(check3.stderr)")
        XCTAssertFalse(check3.stderr.contains("Compiling"), "progress lines are left out: \(check3.stderr)")

        // `lesson serve 5` serves while lesson 3 is broken.
        let port = try freeLoopbackPort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: lesson)
        server.arguments = ["serve", "5", "--port", String(port)]
        server.currentDirectoryURL = copy
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        var served = false
        for _ in 0..<300 where !served {
            if let response = try? HTTPClient.get(url: "http://127.0.0.1:\(port)/metrics", timeout: 1), response.status == 200 {
                served = String(decoding: response.body, as: UTF8.self).contains("_bucket")
            } else {
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        XCTAssertTrue(served, "lesson serve 5 answers /metrics with lesson 5's histogram")

        // `swift test` in the copy: lesson 3's exercise test fails naming the file and the error; lesson 5's is skipped.
        let tests = try runProcess("/usr/bin/env", [
            "swift", "test", "--skip-build", "--filter",
            "RateAndResetsLessonTests.testTheLearnersExerciseCompilesAndPassesOnceAttempted|HistogramBucketsLessonTests.testTheLearnersExerciseCompilesAndPassesOnceAttempted",
        ], environment: ["REQUIRE_REAL_TOOLS": "0"], directory: copy.path, timeout: 900)
        let output = tests.stdout + tests.stderr
        XCTAssertNotEqual(tests.status, 0, output)
        XCTAssertTrue(output.contains("Sources/Lessons/03-rate-and-resets/Exercise.swift does not compile: Sources/Lessons/03-rate-and-resets/Exercise.swift:"), output)
        XCTAssertTrue(output.contains("RateAndResetsLessonTests.testTheLearnersExerciseCompilesAndPassesOnceAttempted' failed"), output)
        XCTAssertTrue(output.contains("HistogramBucketsLessonTests.testTheLearnersExerciseCompilesAndPassesOnceAttempted' skipped"), output)

        // Lesson 3 done right: the check passes and points to lesson 4, and `list` says passed,
        // until the file is edited again ("changed").
        try source.replacingOccurrences(of: "throw NotAttemptedYet()", with: """
            var total = 0.0
                for (previous, current) in zip(samples, samples.dropFirst()) {
                    total += current >= previous ? current - previous : current
                }
                return total
            """).write(to: broken, atomically: true, encoding: .utf8)
        let passed = try run(["check", "3"])
        XCTAssertEqual(passed.status, 0, passed.stdout + passed.stderr)
        XCTAssertTrue(passed.stdout.contains("Next: lesson 4, \(Workbook.lessons[3].title)"), passed.stdout)
        XCTAssertTrue(try run(["list"]).stdout.contains(Self.listRow(3, "passed")))
        try (try String(contentsOf: broken, encoding: .utf8) + "// one more thought\n").write(to: broken, atomically: true, encoding: .utf8)
        XCTAssertTrue(try run(["list"]).stdout.contains(Self.listRow(3, "changed")), "edited since it passed")

        // `reset 3` puts the blank back and keeps the learner's file, which neither package compiles.
        let reset = try run(["reset", "3"])
        XCTAssertEqual(reset.status, 0, reset.stderr)
        XCTAssertEqual(try String(contentsOf: broken, encoding: .utf8), try String(contentsOf: copy.appendingPathComponent(Workbook.lessons[2].blankPath), encoding: .utf8))
        let kept = copy.appendingPathComponent("Sources/Lessons/Kept/03-rate-and-resets.swift")
        XCTAssertTrue(try String(contentsOf: kept, encoding: .utf8).hasSuffix("// one more thought\n"))
        XCTAssertTrue(try run(["check", "3"]).stdout.contains("not attempted yet"), "the kept file is not compiled into the program")
        let rebuilt = try runProcess("/usr/bin/env", ["swift", "build", "--build-tests"], directory: copy.path, timeout: 1200)
        XCTAssertEqual(rebuilt.status, 0, "nor into the workbook: \(rebuilt.stdout.suffix(2000))")
        XCTAssertTrue(try run(["reset", "3"]).stdout.contains("already as it came"))

        // A crashing exercise: the check it crashed in and the runtime's reason, no stack trace.
        let crashing = copy.appendingPathComponent(Workbook.lessons[3].exercisePath)
        try (try String(contentsOf: crashing, encoding: .utf8))
            .replacingOccurrences(of: "throw NotAttemptedYet()", with: "let pieces: [String] = []\n    return pieces[pieces.count]")
            .write(to: crashing, atomically: true, encoding: .utf8)
        let crash = try run(["check", "4"])
        XCTAssertEqual(crash.status, 1)
        XCTAssertTrue(crash.stderr.contains("lesson 4: the code under test crashed in the check \""), crash.stderr)
        XCTAssertTrue(crash.stderr.contains("Index out of range"), crash.stderr)
        XCTAssertFalse(crash.stderr.contains("Current stack trace"), crash.stderr)
        XCTAssertFalse(crash.stderr.contains("libswiftCore"), crash.stderr)
    }

    /// Lesson N's row in `lesson list` with the given state, as the list pads it.
    private static func listRow(_ number: Int, _ state: String) -> String {
        let lesson = Workbook.lessons[number - 1]
        return lesson.slug.padding(toLength: 28, withPad: " ", startingAt: 0) + " " + state.padding(toLength: 10, withPad: " ", startingAt: 0)
    }

    /// The exercises as they came (`lesson reset` restores them) are the exercises as shipped:
    /// wherever an exercise at HEAD is still a blank, its copy in Blanks/ is the same text.
    func testTheBlanksAreTheExercisesAsShipped() throws {
        var compared = 0
        for lesson in Workbook.lessons {
            let blank = try String(contentsOfFile: packageRoot() + "/" + lesson.blankPath, encoding: .utf8)
            XCTAssertTrue(blank.contains("throw NotAttemptedYet()"), "\(lesson.blankPath) is a blank")
            let shipped = try runProcess("/usr/bin/env", ["git", "-C", packageRoot(), "show", "HEAD:" + lesson.exercisePath], timeout: 60)
            guard shipped.status == 0, shipped.stdout.contains("throw NotAttemptedYet()") else { continue }
            compared += 1
            XCTAssertEqual(blank, shipped.stdout, "\(lesson.blankPath) differs from \(lesson.exercisePath) as committed; copy the exercise over it")
        }
        if compared == 0 { throw XCTSkip("no exercise at HEAD is a blank (they are all solved and committed), so there is nothing to compare") }
    }
}
