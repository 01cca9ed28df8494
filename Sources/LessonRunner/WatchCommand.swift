import Foundation
import Platform
import WorkbookKit

/// `lesson watch N`: re-checks lesson N's exercise every time its file is saved.
///
/// It rebuilds the lesson's program (only that lesson, in the lessons package; compiler
/// errors show as the compiler wrote them), runs its checks, and waits for the next save,
/// until Ctrl-C.
struct WatchCommand {
    let arguments: ArraySlice<String>
    let check: (LessonInfo) -> Int32

    func run() -> Int32 {
        guard arguments.count == 1, let name = arguments.first else { return fail("use: swift run lesson watch N") }
        guard let lesson = Workbook.lesson(named: name) else {
            return fail("no lesson \"\(name)\"; there are \(Workbook.lessons.count) (`swift run lesson list` shows them)")
        }
        guard let root = PackageRoot.url else {
            return fail("run this inside the workbook's folder (where Package.swift is), so the exercise can be rebuilt")
        }
        let exercise = root.appendingPathComponent(lesson.exercisePath).path
        var lastSeen: Date?
        while true {
            let modified = (try? FileManager.default.attributesOfItem(atPath: exercise)[.modificationDate]) as? Date
            guard let modified else { return fail("cannot read \(exercise)", status: 1) }
            if modified != lastSeen {
                lastSeen = modified
                print("\n── \(lesson.exercisePath) changed: rebuilding and checking (Ctrl-C stops) ──\n")
                fflush(nil)
                if build(lesson, in: root) { _ = check(lesson) }
                print("\nWatching \(lesson.exercisePath) for the next save…")
                fflush(nil)
            }
            Thread.sleep(forTimeInterval: 0.5)
        }
    }

    /// Builds the lesson's program; false, after showing the compiler's messages, when it does not compile.
    private func build(_ lesson: LessonInfo, in root: URL) -> Bool {
        switch LessonBuild(root: root).build(lesson) {
        case .built:
            return true
        case .doesNotCompile(let messages):
            print(messages)
            print("\n\(lesson.exercisePath) does not compile yet; fix the errors above and save again.")
            return false
        case .failed(let reason):
            print(reason)
            return false
        }
    }

    private func fail(_ problem: String, status: Int32 = 2) -> Int32 {
        printError("lesson watch: \(problem)")
        return status
    }
}
