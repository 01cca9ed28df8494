import Foundation
import WorkbookKit

/// `lesson reset N`: puts lesson N's exercise back as it came, keeping the learner's version.
///
/// The exercises as they came live in `Sources/Lessons/Blanks/NN-slug.swift` (a test keeps
/// them equal to the shipped `Exercise.swift` files). The learner's file is kept beside the
/// exercise as `Exercise.before-reset.swift` (then `-2`, `-3` …, never overwritten), which
/// neither package compiles: both leave out every file whose name starts with `Exercise` but
/// the exercise itself.
enum ResetCommand {
    static func run(_ lesson: LessonInfo) -> Int32 {
        guard let root = PackageRoot.url else {
            return fail("run this inside the workbook's folder (where Package.swift is)")
        }
        let exercise = root.appendingPathComponent(lesson.exercisePath)
        let blank = root.appendingPathComponent(lesson.blankPath)
        guard let original = FileManager.default.contents(atPath: blank.path) else {
            return fail("cannot read \(lesson.blankPath), the exercise as it came")
        }
        let current = FileManager.default.contents(atPath: exercise.path)
        if current == original {
            print("Lesson \(lesson.number)'s exercise is already as it came: \(lesson.exercisePath)")
            return 0
        }
        var kept: String?
        if let current {
            let folder = exercise.deletingLastPathComponent()
            var candidate = folder.appendingPathComponent("Exercise.before-reset.swift")
            var number = 2
            while FileManager.default.fileExists(atPath: candidate.path) {
                candidate = folder.appendingPathComponent("Exercise.before-reset-\(number).swift")
                number += 1
            }
            guard FileManager.default.createFile(atPath: candidate.path, contents: current) else {
                return fail("cannot keep your version at \(candidate.path); nothing was changed")
            }
            kept = "Sources/Lessons/\(lesson.folder)/" + candidate.lastPathComponent
        }
        guard FileManager.default.createFile(atPath: exercise.path, contents: original) else {
            return fail("cannot write \(lesson.exercisePath)")
        }
        print("Lesson \(lesson.number)'s exercise is back as it came: \(lesson.exercisePath)")
        if let kept { print("Your version is kept in \(kept).") }
        return 0
    }

    private static func fail(_ problem: String) -> Int32 {
        printError("lesson reset: \(problem)")
        return 1
    }
}
