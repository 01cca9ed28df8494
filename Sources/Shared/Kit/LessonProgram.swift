#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The entry point every lesson executable shares.
///
/// With no arguments it runs the narrated demo. `--check` runs the checks against the
/// learner's exercise, `--check --solution` against the reference solution, and
/// `--metrics [--format prometheus|openmetrics]` prints the exposition the demo's
/// registry holds. The `lesson` command starts lesson executables with these flags.
public struct LessonProgram: Sendable {
    public let lesson: LessonInfo
    let demo: @Sendable (Narrator) throws -> Registry
    let simulate: @Sendable (Registry, Int) throws -> Void
    let exerciseChecks: @Sendable () -> [Check]
    let solutionChecks: @Sendable () -> [Check]

    /// - Parameters:
    ///   - number: the lesson's number in `Workbook.lessons`.
    ///   - demo: runs the demo, narrating through the narrator, and returns its registry.
    ///   - simulate: called once a second, with the demo's registry and a tick count from 0, while
    ///     `lesson serve` exposes it: keeps the lesson's metrics moving for Prometheus and Grafana.
    ///     Get the metrics again from the registry (asking with the same definition returns them).
    ///   - exerciseChecks: the checks bound to the learner's `Exercise.swift`.
    ///   - solutionChecks: the same checks bound to `Solution.swift`.
    public init(
        number: Int, demo: @escaping @Sendable (Narrator) throws -> Registry,
        simulate: @escaping @Sendable (Registry, Int) throws -> Void = { _, _ in },
        exerciseChecks: @escaping @Sendable () -> [Check], solutionChecks: @escaping @Sendable () -> [Check]
    ) {
        guard let lesson = Workbook.lessons.first(where: { $0.number == number }) else {
            preconditionFailure("lesson \(number) is not in Workbook.lessons")
        }
        self.lesson = lesson
        self.demo = demo
        self.simulate = simulate
        self.exerciseChecks = exerciseChecks
        self.solutionChecks = solutionChecks
    }

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
                print("\nNotes: \(lesson.notesPath)   Exercise: \(lesson.exercisePath)   Check it: swift run lesson check \(lesson.number)")
                return 0
            case "--check":
                let solution = arguments.dropFirst().first == "--solution"
                guard arguments.count == (solution ? 2 : 1) else { return usage("unexpected argument after --check") }
                let report = CheckReport(running: solution ? solutionChecks() : exerciseChecks())
                let subject = solution ? "Sources/Lessons/\(lesson.folder)/Solution.swift" : lesson.exercisePath
                print(report.rendered(for: lesson, subject: subject), terminator: "")
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
            default:
                return usage("unknown argument \(arguments[0])")
            }
        } catch {
            printError("lesson \(lesson.number): \(error)")
            return 1
        }
    }

    private func usage(_ problem: String) -> Int32 {
        printError("lesson \(lesson.number): \(problem). Use: [--check [--solution]] | [--metrics [--format prometheus|openmetrics]]")
        return 2
    }
}

/// Writes one line to standard error.
public func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    bytes.withUnsafeBufferPointer { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
