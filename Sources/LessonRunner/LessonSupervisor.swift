import Foundation
import Platform
import WorkbookKit

/// The lesson programs `lesson serve all` runs, kept running.
///
/// Each lesson serves on a private loopback port of its own. A program that exits or crashes
/// is reported on standard error and started again on the same port, after 1 s, then 2, 4 …
/// up to 30 s while it keeps failing; the merged exposition says which lessons answered
/// (`workbook_lesson_up`). Every program watches this process and exits when it is gone, so
/// no lesson outlives `serve all` (see `LessonProgram`'s parent watch).
final class LessonSupervisor: @unchecked Sendable {
    /// One lesson's program and its restarts.
    struct Child {
        let lesson: LessonInfo
        let port: UInt16
        var process: Process?
        var failures = 0
        var restartAt = 0.0
    }

    // Guarded by `state`: written by the supervising thread, read by the server's handlers.
    private let state: Locked<[Child]>
    private let start: (LessonInfo, [String], Bool) -> Process?
    private let stopping = Locked(false)
    private var watcher: JoinableThread?

    init(children: [Child], start: @escaping (LessonInfo, [String], Bool) -> Process?) {
        state = Locked(children)
        self.start = start
    }

    /// The lessons and the URL each serves on.
    var sources: [(lesson: String, url: String)] {
        state.withLock { $0.map { ($0.lesson.folder, "http://127.0.0.1:\($0.port)") } }
    }

    /// The flags a lesson's program serves with, on `port`.
    static func serveFlags(port: UInt16) -> [String] {
        ["--serve", "--host", "127.0.0.1", "--port", String(port)]
    }

    /// Starts watching the programs, restarting any that stops.
    func watch() throws {
        watcher = try JoinableThread { [self] in
            while !stopping.withLock({ $0 }) {
                superviseOnce(now: SystemClock.monotonicSeconds())
                Thread.sleep(forTimeInterval: 0.25)
            }
        }
    }

    /// Restarts what has stopped and whose backoff has passed.
    func superviseOnce(now: Double) {
        let due: [(Int, LessonInfo, UInt16)] = state.withLock { children in
            var due: [(Int, LessonInfo, UInt16)] = []
            for index in children.indices {
                if let process = children[index].process, !process.isRunning {
                    let how = process.terminationReason == .uncaughtSignal ? "crashed (signal \(process.terminationStatus))" : "exited (status \(process.terminationStatus))"
                    children[index].failures += 1
                    let delay = min(30, pow(2, Double(children[index].failures - 1)))
                    children[index].restartAt = now + delay
                    children[index].process = nil
                    printError("lesson serve: lesson \(children[index].lesson.number)'s program \(how); restarting it in \(Int(delay)) s")
                }
                if children[index].process == nil, now >= children[index].restartAt {
                    due.append((index, children[index].lesson, children[index].port))
                }
            }
            return due
        }
        for (index, lesson, port) in due where !stopping.withLock({ $0 }) {
            let process = start(lesson, Self.serveFlags(port: port), true)
            state.withLock { children in
                children[index].process = process
                if process == nil { children[index].restartAt = now + 30 }
            }
        }
    }

    /// A program that has served for a while is forgiven its earlier failures.
    func noteAnswered(_ lesson: String) {
        state.withLock { children in
            if let index = children.firstIndex(where: { $0.lesson.folder == lesson }) { children[index].failures = 0 }
        }
    }

    /// Stops watching and ends every program.
    func stopAll() {
        stopping.withLock { $0 = true }
        watcher?.join()
        watcher = nil
        let processes = state.withLock { $0.compactMap(\.process) }
        for process in processes where process.isRunning { process.terminate() }
        processes.forEach { $0.waitUntilExit() }
    }
}
