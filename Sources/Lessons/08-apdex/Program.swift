import WorkbookKit

/// Lesson 8's program (notes: lessons/08-apdex.org), with the learner's exercise
/// plugged in by its `main.swift` in the lessons package.
public func lessonProgram(exercise: @escaping ApdexChecks.Apdex) -> LessonProgram {
    LessonProgram(
        number: 8,
        demo: { try ApdexDemo.run($0) },
        simulate: { registry, tick in try ApdexDemo.simulate(registry, tick: tick) },
        exerciseChecks: { ApdexChecks.checks(exercise) },
        solutionChecks: { ApdexChecks.checks(solutionApdex) }
    )
}
