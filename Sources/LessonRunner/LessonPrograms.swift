import Foundation
import Platform
import WorkbookKit

/// Finds each lesson's program, building it first when the workbook's sources are here.
///
/// In a clone of the workbook, lesson N's program is built on demand in the lessons package
/// (`Sources/Lessons/Package.swift`), so only that lesson is compiled and a broken exercise
/// elsewhere does not matter. In a packaged install (the stack's image) there are no sources:
/// the programs sit beside the `lesson` command itself.
enum LessonPrograms {
    /// The programs this process has built already: a restart does not build again.
    private static let built = Locked<Set<String>>([])

    /// Builds every lesson's program at once when the sources are here, so that starting them
    /// all (`lesson serve all`) needs one build, not eleven. When one does not compile, each
    /// lesson is built on its own as it starts, and only that one is left out.
    static func prepareAll() {
        guard let root = PackageRoot.url,
              FileManager.default.fileExists(atPath: root.appendingPathComponent("Sources/Lessons/Package.swift").path)
        else { return }
        printError("Building the lessons' programs…")
        if case .built = LessonBuild(root: root).buildAll() {
            built.withLock { $0.formUnion(Workbook.lessons.map(\.executableName)) }
        }
    }

    /// Lesson's program, built and up to date; nil after saying why there is none.
    static func locate(_ lesson: LessonInfo) -> URL? {
        if let root = PackageRoot.url,
           FileManager.default.fileExists(atPath: root.appendingPathComponent("Sources/Lessons/Package.swift").path) {
            let build = LessonBuild(root: root)
            if built.withLock({ $0.contains(lesson.executableName) }),
               FileManager.default.isExecutableFile(atPath: build.executable(for: lesson).path) {
                return build.executable(for: lesson)
            }
            if !FileManager.default.isExecutableFile(atPath: build.executable(for: lesson).path) {
                printError("Building lesson \(lesson.number)'s program (the first build of the lessons takes a minute or two)…")
            }
            switch build.build(lesson) {
            case .built(let executable):
                built.withLock { _ = $0.insert(lesson.executableName) }
                return executable
            case .doesNotCompile(let messages):
                printError(messages)
                printError("lesson: lesson \(lesson.number) does not compile yet: fix \(lesson.exercisePath) (the compiler's messages are above), then try again")
                return nil
            case .failed(let reason):
                printError("lesson: could not build lesson \(lesson.number): \(reason)")
                return nil
            }
        }
        if let own = executablePath() {
            let beside = URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent(lesson.executableName)
            if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        }
        printError("lesson: cannot find lesson \(lesson.number)'s program: run this inside the workbook's folder (where Package.swift is)")
        return nil
    }
}
