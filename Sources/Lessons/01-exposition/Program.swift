import WorkbookKit

/// Lesson 1's program (notes: lessons/01-exposition.org), with the learner's exercise
/// plugged in by its `main.swift` in the lessons package.
public func lessonProgram(exercise: @escaping ExpositionChecks.Render) -> LessonProgram {
    LessonProgram(
        number: 1,
        demo: { try ExpositionDemo.run($0) },
        exerciseChecks: { ExpositionChecks.checks(exercise) },
        solutionChecks: { ExpositionChecks.checks(solutionRenderSampleLine) }
    )
}
