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

    /// Runs `checks` in order, telling `onEach` each outcome as soon as it is known, so a
    /// check that crashes the program still leaves the ones before it on the screen.
    /// The first `NotAttemptedYet` stops the run.
    /// `onStart` hears each check's title just before it runs: a crash inside it leaves that
    /// title as the last one heard.
    public init(
        running checks: [Check], onStart: (_ title: String) -> Void = { _ in },
        onEach: (_ title: String, _ outcome: Outcome) -> Void = { _, _ in }
    ) {
        var results: [(title: String, outcome: Outcome)] = []
        for check in checks {
            onStart(check.title)
            let outcome: Outcome
            do {
                try check.body()
                outcome = .passed
            } catch is NotAttemptedYet {
                self.results = []
                notAttempted = true
                return
            } catch let failure as CheckFailure {
                outcome = .failed(failure)
            } catch {
                outcome = .threw(String(describing: error))
            }
            results.append((check.title, outcome))
            onEach(check.title, outcome)
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
        return Self.header(for: lesson, subject: subject)
            + results.map { Self.line($0.title, $0.outcome) }.joined()
            + summary(for: lesson)
    }

    /// The first lines of a report: which lesson, against which file.
    public static func header(for lesson: LessonInfo, subject: String) -> String {
        "Checking lesson \(lesson.number) (\(lesson.slug)) against \(subject)\n\n"
    }

    /// One check's lines: ✓ and its title, or ✗, its title, and what was expected and found.
    public static func line(_ title: String, _ outcome: Outcome) -> String {
        switch outcome {
        case .passed:
            "  ✓ \(title)\n"
        case .failed(let failure):
            "  ✗ \(title)\n"
                + (failure.input.map { "      input:    \($0)\n" } ?? "")
                + "      expected: \(failure.expected)\n      found:    \(failure.found)\n"
                + (failure.seed.map { "      (generated with seed \($0); WORKBOOK_CHECK_SEED=\($0) replays it)\n" } ?? "")
        case .threw(let error):
            "  ✗ \(title)\n      threw: \(error)\n"
        }
    }

    /// The last lines: how many checks passed, and the hint when some did not.
    public func summary(for lesson: LessonInfo) -> String {
        let failures = failedTitles.count
        if failures == 0 { return "\nAll \(results.count) checks passed.\n" }
        return "\n\(failures) of \(results.count) checks failed.\n\nHint: \(lesson.hint)\n"
    }
}
