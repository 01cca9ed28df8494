import Foundation
import TestSupport
import WorkbookKit
import XCTest

/// The notes cannot drift from the demos, and every demo fits an 80-column terminal.
///
/// Demo output that the notes quote sits in a block named `demo-output`:
///
///     #+name: demo-output
///     #+begin_example
///     … lines exactly as `swift run lesson N` prints them …
///     #+end_example
///
/// Every non-blank line of such a block must appear in the demo's output, so a change to a
/// simulation that moves a quoted number fails here instead of silently falsifying the notes.
final class NotesTests: XCTestCase {
    /// Lesson N's demo output, run as a learner runs it, with the terminal width unknown (80 columns).
    private static func demoOutput(_ lesson: LessonInfo) throws -> String {
        let progress = NSTemporaryDirectory() + "/workbook-progress-\(ProcessInfo.processInfo.processIdentifier)"
        let result = try runProcess(buildProductsFolder + "/lesson", ["\(lesson.number)"],
                                    environment: ["WORKBOOK_PROGRESS_FILE": progress, "COLUMNS": "80"],
                                    directory: packageRoot(), timeout: 600)
        XCTAssertEqual(result.status, 0, "lesson \(lesson.number): \(result.stderr)")
        return result.stdout
    }

    /// The `demo-output` blocks of `notes`, each as its lines.
    static func quotedDemoBlocks(in notes: String) -> [[String]] {
        var blocks: [[String]] = []
        var lines = notes.split(separator: "\n", omittingEmptySubsequences: false)[...]
        while let line = lines.popFirst() {
            guard line.trimmingCharacters(in: .whitespaces).lowercased() == "#+name: demo-output" else { continue }
            guard lines.first?.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("#+begin_example") == true else { continue }
            lines.removeFirst()
            var block: [String] = []
            while let inner = lines.popFirst(), !inner.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("#+end_example") {
                block.append(String(inner))
            }
            blocks.append(block)
        }
        return blocks
    }

    func testEveryQuotedDemoLineIsWhatTheDemoPrints() throws {
        var quoted = 0
        for lesson in Workbook.lessons {
            let notes = try String(contentsOfFile: packageRoot() + "/" + lesson.notesPath, encoding: .utf8)
            let blocks = Self.quotedDemoBlocks(in: notes)
            guard !blocks.isEmpty else { continue }
            let output = Set(try Self.demoOutput(lesson).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
            for line in blocks.joined() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                quoted += 1
                XCTAssertTrue(output.contains(line.trimmingCharacters(in: .whitespaces)),
                              "\(lesson.notesPath) quotes a demo line that `swift run lesson \(lesson.number)` no longer prints:\n\(line)")
            }
        }
        XCTAssertGreaterThan(quoted, 0, "the notes quote the demos somewhere")
    }

    func testTheBlockReaderFindsNamedBlocksOnly() {
        let notes = """
            #+begin_example
            not quoted
            #+end_example
            #+name: demo-output
            #+begin_example
              increase: 110
            #+end_example
            """
        XCTAssertEqual(Self.quotedDemoBlocks(in: notes), [["  increase: 110"]])
    }

    func testEveryDemoLineFitsEightyColumns() throws {
        for lesson in Workbook.lessons {
            let output = try Self.demoOutput(lesson)
            for line in output.split(separator: "\n") where line.count > 80 {
                XCTFail("lesson \(lesson.number)'s demo prints a line of \(line.count) columns (at most 80):\n\(line)")
            }
        }
    }
}
