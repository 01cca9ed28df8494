import Foundation
import Platform
import WorkbookKit

/// A lesson program's standard error, passed through as it comes, less what a learner should
/// not have to read: the runtime's stack trace after a crash, and the check announcements
/// (see `CheckAnnouncement`), which are kept to say which check a crash happened in.
final class ChildOutput: @unchecked Sendable {
    // Written by the reading thread, read after `finish()` has joined it.
    private var partial: [UInt8] = []
    private var inStackTrace = false
    private(set) var runningCheck: String?
    private(set) var crashReason: String?
    private let pipe = Pipe()
    private var reader: JoinableThread?

    /// The write end, to hand to the child as its standard error.
    var writeEnd: FileHandle { pipe.fileHandleForWriting }

    /// Starts reading; call after the child has started.
    func start() throws {
        try pipe.fileHandleForWriting.close()
        let handle = pipe.fileHandleForReading
        reader = try JoinableThread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                consume(Array(data))
            }
            if !partial.isEmpty { line(partial) }
        }
    }

    /// Waits until the child's standard error is closed and everything is shown.
    func finish() {
        reader?.join()
        reader = nil
    }

    private func consume(_ bytes: [UInt8]) {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                line(partial)
                partial.removeAll(keepingCapacity: true)
            } else {
                partial.append(byte)
            }
        }
    }

    private func line(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix(CheckAnnouncement.prefix) {
            runningCheck = String(text.dropFirst(CheckAnnouncement.prefix.count))
            return
        }
        if text.hasPrefix("Current stack trace:") {
            inStackTrace = true
            return
        }
        // Frames look like `3    libswiftCore.so    0x00007f… symbol + 303`.
        if inStackTrace, text.range(of: #"^\d+\s+\S+\s+0x[0-9a-f]+"#, options: .regularExpression) != nil { return }
        inStackTrace = false
        if crashReason == nil, let range = text.range(of: "Fatal error: ") {
            crashReason = String(text[range.upperBound...])
        }
        printError(text)
    }
}
