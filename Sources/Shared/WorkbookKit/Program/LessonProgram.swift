import Foundation
import Synchronization

import Platform
import Instrumentation
import HTTP

/// The entry point every lesson executable shares.
///
/// With no arguments it runs the narrated demo. `--check` runs the checks against the
/// learner's exercise, `--check --solution` against the reference solution, and
/// `--metrics [--format prometheus|openmetrics]` prints the exposition the demo's
/// registry holds, and `--serve [--host H] [--port P]` serves it on `/metrics` while
/// `simulate` keeps it moving. The `lesson` command starts lesson executables with these flags.
public struct LessonProgram: Sendable {
    public let lesson: LessonInfo
    let demo: @Sendable (Narrator) throws -> Registry
    let simulate: @Sendable (Registry, Int) throws -> Void
    let service: (@Sendable (Registry) throws -> @Sendable (HTTPRequest) -> HTTPResponse?)?
    let exerciseChecks: @Sendable () -> [Check]
    let solutionChecks: @Sendable () -> [Check]

    /// - Parameters:
    ///   - number: the lesson's number in `Workbook.lessons`.
    ///   - demo: runs the demo, narrating through the narrator, and returns its registry.
    ///   - simulate: called once a second, with the demo's registry and a tick count from 0, while
    ///     `lesson serve` exposes it: keeps the lesson's metrics moving for Prometheus and Grafana.
    ///     Get the metrics again from the registry (asking with the same definition returns them).
    ///   - service: for a lesson that is an HTTP service itself: given the demo's registry, the
    ///     handler for every path but `/metrics` (nil answers 404).
    ///   - exerciseChecks: the checks bound to the learner's `Exercise.swift`.
    ///   - solutionChecks: the same checks bound to `Solution.swift`.
    public init(
        number: Int, demo: @escaping @Sendable (Narrator) throws -> Registry,
        simulate: @escaping @Sendable (Registry, Int) throws -> Void = { _, _ in },
        service: (@Sendable (Registry) throws -> @Sendable (HTTPRequest) -> HTTPResponse?)? = nil,
        exerciseChecks: @escaping @Sendable () -> [Check], solutionChecks: @escaping @Sendable () -> [Check]
    ) {
        guard let lesson = Workbook.lessons.first(where: { $0.number == number }) else {
            preconditionFailure("lesson \(number) is not in Workbook.lessons")
        }
        self.lesson = lesson
        self.demo = demo
        self.simulate = simulate
        self.service = service
        self.exerciseChecks = exerciseChecks
        self.solutionChecks = solutionChecks
    }

    /// The environment variable through which `lesson serve all` gives its own process id to
    /// the programs it starts, which exit when that process is no longer their parent.
    public static let parentEnvironmentVariable = "WORKBOOK_SUPERVISOR_PID"

    /// Runs what the command line asks for and exits with its status.
    public func main(arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        let status = run(arguments)
        fflush(nil)
        exit(status)
    }

    /// Runs what `arguments` ask for and returns the exit status: 0 done or passed, 1 checks failed, 2 bad usage.
    public func run(_ arguments: [String]) -> Int32 {
        do {
            switch arguments.first {
            case nil:
                _ = try demo(.printing)
                print("\nNotes:    \(lesson.notesPath)\nExercise: \(lesson.exercisePath)\nCheck it: swift run lesson check \(lesson.number)")
                return 0
            case "--check":
                let solution = arguments.dropFirst().first == "--solution"
                guard arguments.count == (solution ? 2 : 1) else { return usage("unexpected argument after --check") }
                let subject = solution ? "Sources/Lessons/\(lesson.folder)/Solution.swift" : lesson.exercisePath
                var started = false
                // Each result is printed as it comes, so a crash in the code under test keeps the lines before it.
                // The `lesson` command asks for each check's title on standard error before it
                // runs, so that it can name the check a crash happened in.
                let announce = ProcessInfo.processInfo.environment[CheckAnnouncement.environmentVariable] == "1"
                let report = CheckReport(running: solution ? solutionChecks() : exerciseChecks(), onStart: { title in
                    if announce { printError(CheckAnnouncement.prefix + title) }
                }) { title, outcome in
                    if !started {
                        print(CheckReport.header(for: lesson, subject: subject), terminator: "")
                        started = true
                    }
                    print(CheckReport.line(title, outcome), terminator: "")
                    fflush(nil)
                }
                print(report.notAttempted ? report.rendered(for: lesson, subject: subject) : report.summary(for: lesson), terminator: "")
                return report.passed ? 0 : 1
            case "--metrics":
                var format = ExpositionFormat.prometheus
                if arguments.count == 3, arguments[1] == "--format", let chosen = ExpositionFormat(rawValue: arguments[2]) {
                    format = chosen
                } else if arguments.count != 1 {
                    return usage("use --metrics [--format prometheus|openmetrics]")
                }
                let registry = try demo(.quiet)
                print(format.render(registry.collect()), terminator: "")
                return 0
            case "--serve":
                var host = "127.0.0.1", port: UInt16 = 3001
                var rest = arguments.dropFirst()
                while let flag = rest.popFirst() {
                    guard let value = rest.popFirst() else { return usage("\(flag) needs a value") }
                    switch flag {
                    case "--host": host = value
                    case "--port":
                        guard let number = UInt16(value) else { return usage("--port takes a number from 0 to 65535, not \(value)") }
                        port = number
                    default: return usage("unknown argument \(flag) for --serve")
                    }
                }
                return try serve(host: host, port: port)
            default:
                return usage("unknown argument \(arguments[0])")
            }
        } catch {
            printError("lesson \(lesson.number): \(error)")
            return 1
        }
    }

    private func usage(_ problem: String) -> Int32 {
        printError("lesson \(lesson.number): \(problem). Use: [--check [--solution]] | [--metrics [--format prometheus|openmetrics]] | [--serve [--host H] [--port P]]")
        return 2
    }

    /// Serves the demo's registry on `/metrics` (and the lesson's service, if any) until
    /// SIGINT or SIGTERM, calling `simulate` once a second meanwhile.
    private func serve(host: String, port: UInt16) throws -> Int32 {
        let registry = try demo(.quiet)
        let routes = try service?(registry)
        let endpoint = MetricsEndpoint(registry: registry)
        let server = HTTPServer(host: host, port: port, handler: endpoint.makeHandler { request in
            routes?(request) ?? HTTPResponse.notFound(request)
        })
        do {
            try server.start()
        } catch {
            printError("lesson \(lesson.number): \(error)")
            return 1
        }
        // Started by `lesson serve all`, the program ends with it: when the parent that started
        // it is gone (the process is handed to another parent), it stops serving.
        if let text = ProcessInfo.processInfo.environment[Self.parentEnvironmentVariable], let parent = Int32(text) {
            _ = try JoinableThread {
                while getppid() == parent { Thread.sleep(forTimeInterval: 0.5) }
                exit(0)
            }
        }
        print("Lesson \(lesson.number) (\(lesson.slug)) serves its metrics on \(server.url)/metrics; Ctrl-C stops it.")
        fflush(nil)
        let stopped = Atomic<Bool>(false)
        let simulate = simulate, number = lesson.number
        let simulation = try JoinableThread {
            var tick = 0
            while !stopped.load(ordering: .acquiring) {
                do {
                    try simulate(registry, tick)
                } catch {
                    printError("lesson \(number): simulated traffic stopped: \(error)")
                    break
                }
                tick += 1
                Thread.sleep(forTimeInterval: 1)
            }
        }
        server.runUntilTerminated()
        stopped.store(true, ordering: .releasing)
        simulation.join()
        return 0
    }
}

/// Writes one line to standard error.
public func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    bytes.withUnsafeBufferPointer { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
