import WorkbookKit

/// Lesson 7's program (notes: lessons/07-summaries-sliding-windows.org), with the learner's exercise
/// plugged in by its `main.swift` in the lessons package.
public func lessonProgram(exercise: @escaping SummariesSlidingWindowsChecks.MakeWindow) -> LessonProgram {
    LessonProgram(
        number: 7,
        demo: { try SummariesSlidingWindowsDemo.run($0) },
        simulate: { try SummariesSlidingWindowsDemo.simulate($0, tick: $1) },
        exerciseChecks: { SummariesSlidingWindowsChecks.checks(exercise) },
        solutionChecks: { SummariesSlidingWindowsChecks.checks { SolutionSlidingWindowCounter(maxAge: $0, ageBuckets: $1, start: $2) } }
    )
}
