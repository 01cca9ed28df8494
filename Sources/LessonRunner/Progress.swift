import Foundation
import WorkbookKit

/// The learner's progress: which exercises passed their last check, and as what text.
///
/// Kept in `.workbook-progress` at the package root (git ignores it), one line per lesson:
/// `N passed F` or `N failed F`, where F is a fingerprint of the exercise file as it was
/// checked, so `lesson list` can tell a passed exercise that was edited since ("changed").
/// Without a package root (the command run from elsewhere) nothing is kept and every lesson
/// shows as unchecked. `WORKBOOK_PROGRESS_FILE` names another file (the tests use their own).
enum Progress {
    /// One lesson's last check.
    struct Entry: Equatable {
        let passed: Bool
        /// The exercise file's fingerprint when it was checked; nil in files from before fingerprints.
        let fingerprint: String?
    }

    static func load() -> [Int: Entry] {
        guard let file, let text = try? String(contentsOf: file, encoding: .utf8) else { return [:] }
        var progress: [Int: Entry] = [:]
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count == 2 || words.count == 3, let number = Int(words[0]) else { continue }
            progress[number] = Entry(passed: words[1] == "passed", fingerprint: words.count == 3 ? String(words[2]) : nil)
        }
        return progress
    }

    static func record(_ lesson: LessonInfo, passed: Bool, fingerprint: String?) {
        guard let file else { return }
        var progress = load()
        progress[lesson.number] = Entry(passed: passed, fingerprint: fingerprint)
        let text = progress.keys.sorted().map { number in
            let entry = progress[number]!
            return "\(number) \(entry.passed ? "passed" : "failed")" + (entry.fingerprint.map { " \($0)" } ?? "") + "\n"
        }.joined()
        try? text.write(to: file, atomically: true, encoding: .utf8)
    }

    /// A fingerprint of lesson's exercise file as it is now (64-bit FNV-1a of its bytes, in hex);
    /// nil when it cannot be read.
    static func fingerprint(of lesson: LessonInfo) -> String? {
        guard let root = PackageRoot.url,
              let data = FileManager.default.contents(atPath: root.appendingPathComponent(lesson.exercisePath).path)
        else { return nil }
        return String(fnv1a(data), radix: 16)
    }

    /// The progress file at the package root, or `$WORKBOOK_PROGRESS_FILE`.
    private static var file: URL? {
        if let chosen = ProcessInfo.processInfo.environment["WORKBOOK_PROGRESS_FILE"] { return URL(fileURLWithPath: chosen) }
        return PackageRoot.url?.appendingPathComponent(".workbook-progress")
    }
}
