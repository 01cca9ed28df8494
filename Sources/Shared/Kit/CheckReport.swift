/// The outcome of running a lesson's checks.
public struct CheckReport: Sendable {
    /// One check's outcome.
    public enum Outcome: Sendable, Equatable {
        case passed
        case failed(CheckFailure)
        /// The code under test threw something other than a check failure.
        case threw(String)
    }

    /// Each check's title and outcome, in order; empty when the exercise is not attempted.
    public let results: [(title: String, outcome: Outcome)]
    /// Whether the code under test threw `NotAttemptedYet`.
    public let notAttempted: Bool

    /// Runs `checks` in order. The first `NotAttemptedYet` stops the run.
    public init(running checks: [Check]) {
        var results: [(title: String, outcome: Outcome)] = []
        for check in checks {
            do {
                try check.body()
                results.append((check.title, .passed))
            } catch is NotAttemptedYet {
                self.results = []
                notAttempted = true
                return
            } catch let failure as CheckFailure {
                results.append((check.title, .failed(failure)))
            } catch {
                results.append((check.title, .threw(String(describing: error))))
            }
        }
        self.results = results
        notAttempted = false
    }

    /// Whether every check ran and passed.
    public var passed: Bool {
        !notAttempted && results.allSatisfy { $0.outcome == .passed }
    }

    /// The titles of the checks that did not pass.
    public var failedTitles: [String] {
        results.filter { $0.outcome != .passed }.map(\.title)
    }

    /// The report as the learner reads it: a line per check, expected and found under each failure.
    public func rendered(for lesson: LessonInfo, subject: String) -> String {
        if notAttempted {
            return """
                Lesson \(lesson.number)'s exercise is not attempted yet.
                Open \(lesson.exercisePath), replace the line `throw NotAttemptedYet()` with your code,
                then run `swift run lesson check \(lesson.number)` again.

                Hint: \(lesson.hint)

                """
        }
        var lines = ["Checking lesson \(lesson.number) (\(lesson.slug)) against \(subject)", ""]
        for (title, outcome) in results {
            switch outcome {
            case .passed:
                lines.append("  ✓ \(title)")
            case .failed(let failure):
                lines.append("  ✗ \(title)")
                lines.append("      expected: \(failure.expected)")
                lines.append("      found:    \(failure.found)")
            case .threw(let error):
                lines.append("  ✗ \(title)")
                lines.append("      threw: \(error)")
            }
        }
        lines.append("")
        let failures = failedTitles.count
        if failures == 0 {
            lines.append("All \(results.count) checks passed.")
        } else {
            lines.append("\(failures) of \(results.count) checks failed.")
            lines.append("")
            lines.append("Hint: \(lesson.hint)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
