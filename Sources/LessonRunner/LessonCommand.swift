import Foundation
import Platform
import Instrumentation
import WorkbookKit

/// Parses the `lesson` command line and carries it out.
struct LessonCommand {
    let arguments: [String]

    static let usage = """
        Usage: swift run lesson [command]

          list                      the lessons, and whether each exercise passes (the default)
          N                         run lesson N's demo (a number, or a slug such as exposition)
          check N [--solution]      check your exercise for lesson N (or the reference solution)
          reset N                   put lesson N's exercise back as it came, keeping yours
                                    in Sources/Lessons/Kept/
          hint N                    a hint for lesson N's exercise
          watch N                   check lesson N's exercise again every time you save it
          metrics N [--format F]    the exposition lesson N's registry holds after its demo;
                                    F is prometheus (text 0.0.4, the default) or openmetrics
          serve [N|all] [--host H] [--port P]
                                    keep the demos running with simulated traffic and serve
                                    /metrics on http://127.0.0.1:3001 (all lessons by default)
          query 'EXPR' [--data FILE] [--time T] [--url URL] [--prometheus 2|3]
                                    evaluate PromQL over an OpenMetrics file with timestamps,
                                    or over a scrape of a running lesson server
          query 'EXPR' --data FILE --start S --end E --step D
                                    a range query: the expression at every step
          load [--url URL] [--duration S] [--min-interval S] [--max-interval S]
                                    send requests to the lesson service, one every 1 to 10 s
                                    (or as the intervals say), for S seconds or until Ctrl-C
          lint [FILE|-] [--format F] [--url URL]
                                    validate and lint an exposition, like promtool check
                                    metrics: exit 0 valid (warnings shown), 1 invalid
          stack up|down|status      the Prometheus and Grafana stack in stack/ (needs Docker)
          help                      this text
        """

    /// Runs the command and returns the exit status: 0 done, 1 checks failed, 2 bad usage or setup.
    func run() -> Int32 {
        var words = arguments[...]
        let command = words.popFirst() ?? "list"
        switch command {
        case "list":
            guard words.isEmpty else { return fail("list takes no arguments") }
            return list()
        case "help", "--help", "-h":
            print(Self.usage)
            return 0
        case "check":
            guard let lesson = lesson(words.popFirst()) else { return 2 }
            let solution = words.first == "--solution"
            if solution { words.removeFirst() }
            guard words.isEmpty else { return fail("unexpected \(words.first!) after check \(lesson.number)") }
            let checked = Progress.fingerprint(of: lesson)
            let status = runLesson(lesson, ["--check"] + (solution ? ["--solution"] : []))
            if !solution, status == 0 || status == 1 { Progress.record(lesson, passed: status == 0, fingerprint: checked) }
            if !solution, status == 0 { print(Self.next(after: lesson)) }
            return status
        case "hint":
            guard let lesson = lesson(words.popFirst()) else { return 2 }
            guard words.isEmpty else { return fail("hint takes one lesson") }
            print("Lesson \(lesson.number) (\(lesson.slug)): \(lesson.hint)")
            return 0
        case "metrics":
            guard let lesson = lesson(words.popFirst()) else { return 2 }
            var flags = ["--metrics"]
            if words.first == "--format" {
                words.removeFirst()
                guard let format = words.popFirst(), ExpositionFormat(rawValue: format) != nil else {
                    return fail("--format takes prometheus or openmetrics")
                }
                flags += ["--format", format]
            }
            guard words.isEmpty else { return fail("unexpected \(words.first!) after metrics \(lesson.number)") }
            return runLesson(lesson, flags)
        case "serve":
            return ServeCommand(arguments: words) { startLesson($0, $1, quiet: $2) }.run()
        case "query":
            return QueryCommand(arguments: words).run()
        case "load":
            return LoadCommand(arguments: words).run()
        case "lint":
            return LintCommand(arguments: words).run()
        case "stack":
            return StackCommand(arguments: words).run()
        case "watch":
            return WatchCommand(arguments: words) { lesson in
                let checked = Progress.fingerprint(of: lesson)
                let status = runLesson(lesson, ["--check"])
                if status == 0 || status == 1 { Progress.record(lesson, passed: status == 0, fingerprint: checked) }
                if status == 0 { print(Self.next(after: lesson)) }
                return status
            }.run()
        case "reset":
            guard let lesson = lesson(words.popFirst()) else { return 2 }
            guard words.isEmpty else { return fail("reset takes one lesson") }
            return ResetCommand.run(lesson)
        default:
            if command.hasPrefix("-") { return fail("unknown option \(command)") }
            guard let lesson = Workbook.lesson(named: command) else {
                return fail("no lesson or command \"\(command)\"; `swift run lesson list` shows the lessons, `swift run lesson help` the commands")
            }
            guard words.isEmpty else { return fail("unexpected \(words.first!) after lesson \(lesson.number)") }
            return runLesson(lesson, [])
        }
    }

    private func list() -> Int32 {
        let progress = Progress.load()
        print("Lessons (swift run lesson N to start one, swift run lesson check N to check it):\n")
        for lesson in Workbook.lessons {
            let state = switch progress[lesson.number] {
            case let entry? where entry.passed:
                // A pass counts for the exercise as it was checked; an edit since needs a new check.
                entry.fingerprint == nil || entry.fingerprint == Progress.fingerprint(of: lesson) ? "passed" : "changed"
            case .some: "not yet"
            case nil: "unchecked"
            }
            let number = lesson.number < 10 ? " \(lesson.number)" : "\(lesson.number)"
            print("  \(number)  \(lesson.slug.padding(toLength: 28, withPad: " ", startingAt: 0)) \(state.padding(toLength: 10, withPad: " ", startingAt: 0)) \(lesson.title)")
        }
        return 0
    }

    /// What to do after lesson's exercise passes: the next lesson, or the end.
    static func next(after lesson: LessonInfo) -> String {
        guard let next = Workbook.lessons.first(where: { $0.number == lesson.number + 1 }) else {
            return "\nThat was the last lesson's exercise. `swift run lesson serve all` keeps every demo running for the stack."
        }
        return "\nNext: lesson \(next.number), \(next.title). Read \(next.notesPath), then run `swift run lesson \(next.number)`."
    }

    private func lesson(_ name: String?) -> LessonInfo? {
        guard let name else {
            _ = fail("name a lesson: a number from 1 to \(Workbook.lessons.count), or a slug")
            return nil
        }
        guard let lesson = Workbook.lesson(named: name) else {
            _ = fail("no lesson \"\(name)\"; there are \(Workbook.lessons.count) (`swift run lesson list` shows them)")
            return nil
        }
        return lesson
    }

    private func fail(_ problem: String) -> Int32 {
        printError("lesson: \(problem)")
        return 2
    }

    /// Starts the lesson's program with `flags`, its output passed through; nil after saying why it could not.
    ///
    /// With `errors`, its standard error goes there instead of straight to ours.
    private func startLesson(_ lesson: LessonInfo, _ flags: [String], quiet: Bool = false, errors: ChildOutput? = nil) -> Process? {
        guard let executable = LessonPrograms.locate(lesson) else { return nil }
        // Our own buffered output must come before the child's.
        fflush(nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = flags
        if quiet { process.standardOutput = FileHandle.nullDevice }
        var environment = ProcessInfo.processInfo.environment
        // A crash is reported below with the check it happened in and the runtime's reason;
        // a backtrace would bury that. Anyone who wants one can set SWIFT_BACKTRACE themselves.
        if environment["SWIFT_BACKTRACE"] == nil { environment["SWIFT_BACKTRACE"] = "enable=no" }
        environment[LessonProgram.parentEnvironmentVariable] = String(getpid())
        if let errors {
            process.standardError = errors.writeEnd
            environment[CheckAnnouncement.environmentVariable] = "1"
        }
        process.environment = environment
        do {
            try process.run()
            try errors?.start()
        } catch {
            _ = fail("could not start \(executable.path): \(error.localizedDescription)")
            return nil
        }
        return process
    }

    /// Runs the lesson's executable with `flags` to the end and returns its exit status.
    private func runLesson(_ lesson: LessonInfo, _ flags: [String]) -> Int32 {
        let errors = ChildOutput()
        guard let process = startLesson(lesson, flags, errors: errors) else { return 1 }
        process.waitUntilExit()
        errors.finish()
        if process.terminationReason == .uncaughtSignal {
            let reason = errors.crashReason.map { ": \($0)" } ?? " (signal \(process.terminationStatus))"
            if let check = errors.runningCheck {
                printError("lesson \(lesson.number): the code under test crashed in the check \"\(check)\"\(reason)")
            } else {
                printError("lesson \(lesson.number) crashed\(reason)")
            }
            return 1
        }
        return process.terminationStatus
    }
}
