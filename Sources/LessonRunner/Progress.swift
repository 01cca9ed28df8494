import Foundation
import Platform

/// The learner's progress: which exercises passed their last check.
///
/// Kept in `.workbook-progress` at the package root, one `N passed` or `N failed` line
/// per lesson; git ignores it. Without a package root (the command run from elsewhere)
/// nothing is kept and every lesson shows as unchecked.
enum Progress {
    static func load() -> [Int: Bool] {
        guard let file, let text = try? String(contentsOf: file, encoding: .utf8) else { return [:] }
        var progress: [Int: Bool] = [:]
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, let number = Int(words[0]) { progress[number] = words[1] == "passed" }
        }
        return progress
    }

    static func record(lesson: Int, passed: Bool) {
        guard let file else { return }
        var progress = load()
        progress[lesson] = passed
        let text = progress.keys.sorted().map { "\($0) \(progress[$0]! ? "passed" : "failed")\n" }.joined()
        try? text.write(to: file, atomically: true, encoding: .utf8)
    }

    /// The progress file at the package root, or `$WORKBOOK_PROGRESS_FILE` (the tests use one of their own).
    private static var file: URL? {
        if let chosen = ProcessInfo.processInfo.environment["WORKBOOK_PROGRESS_FILE"] { return URL(fileURLWithPath: chosen) }
        return PackageRoot.url?.appendingPathComponent(".workbook-progress")
    }
}
