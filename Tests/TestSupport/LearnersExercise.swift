import Foundation
import WorkbookKit
import XCTest

/// The learner's own exercises, checked by `swift test` with the same program `lesson check` runs.
///
/// The exercises are not part of the workbook package (each builds with its lesson's
/// `main.swift` in `Sources/Lessons/Package.swift`), so one that does not compile fails only
/// its own lesson's test here, naming the file and the compiler's first error, while every
/// other test runs.
public enum LearnersExercise {
    /// The workbook's folder, found from this file's place in it.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Builds `lesson`'s program and runs its checks on the exercise: passes when they pass,
    /// skips while the exercise is untouched, fails when it does not compile or a check fails.
    public static func check(_ lesson: LessonInfo, file: StaticString = #filePath, line: UInt = #line) throws {
        if ThreadSanitizerRun.isOn {
            throw XCTSkip("the exercises are checked by the plain `swift test` run, not the thread-sanitizer one")
        }
        let build = LessonBuild(root: root)
        switch build.build(lesson) {
        case .doesNotCompile(let messages):
            XCTFail("""
                \(lesson.exercisePath) does not compile: \(build.firstError(in: messages) ?? "see the compiler's messages")
                `swift run lesson check \(lesson.number)` shows every message.
                """, file: file, line: line)
        case .failed(let reason):
            XCTFail("could not build lesson \(lesson.number)'s program: \(reason)", file: file, line: line)
        case .built(let executable):
            var environment = ["SWIFT_BACKTRACE": "enable=no"]
            environment["NO_COLOR"] = "1"
            let result = try runProcess(executable.path, ["--check"], environment: environment, timeout: 120)
            if result.status == 1, result.stdout.contains("is not attempted yet") {
                throw XCTSkip("lesson \(lesson.number)'s exercise is not attempted yet (\(lesson.exercisePath)); it is checked once it is")
            }
            XCTAssertEqual(result.status, 0, """
                your exercise for lesson \(lesson.number) does not pass; `swift run lesson check \(lesson.number)` shows why:
                \(result.stdout)\(result.stderr)
                """, file: file, line: line)
        }
    }
}
