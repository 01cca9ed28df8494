import WorkbookKit

/// Lesson 3's program (notes: lessons/03-rate-and-resets.org), with the learner's exercise
/// plugged in by its `main.swift` in the lessons package.
public func lessonProgram(exercise: @escaping RateAndResetsChecks.Increase) -> LessonProgram {
    LessonProgram(
        number: 3,
        demo: { try RateAndResetsDemo.run($0) },
        simulate: { registry, tick in try RateAndResetsDemo.simulate(registry, tick: tick) },
        exerciseChecks: { RateAndResetsChecks.checks(exercise) },
        solutionChecks: { RateAndResetsChecks.checks(solutionCounterIncrease) }
    )
}
