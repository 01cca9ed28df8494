import Foundation
import WorkbookKit

/// `lesson reset N`: puts lesson N's exercise back as it came, keeping the learner's version.
///
/// The exercises as they came live in `Sources/Lessons/Blanks/NN-slug.swift` (a test keeps
/// them equal to the shipped `Exercise.swift` files). The learner's file is kept in
/// `Sources/Lessons/Kept/NN-slug.swift` (then `NN-slug-2.swift` …, never overwritten), a
/// folder neither package compiles, so a half-written version there breaks nothing.
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
            let folder = root.appendingPathComponent("Sources/Lessons/Kept")
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var candidate = folder.appendingPathComponent("\(lesson.folder).swift")
            var number = 2
            while FileManager.default.fileExists(atPath: candidate.path) {
                candidate = folder.appendingPathComponent("\(lesson.folder)-\(number).swift")
                number += 1
            }
            guard FileManager.default.createFile(atPath: candidate.path, contents: current) else {
                return fail("cannot keep your version at \(candidate.path); nothing was changed")
            }
            kept = "Sources/Lessons/Kept/" + candidate.lastPathComponent
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
