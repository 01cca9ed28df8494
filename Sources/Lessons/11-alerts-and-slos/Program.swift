import WorkbookKit

/// Lesson 11's program (notes: lessons/11-alerts-and-slos.org), with the learner's exercise
/// plugged in by its `main.swift` in the lessons package.
public func lessonProgram(exercise: @escaping AlertsAndSlosChecks.ShouldPage) -> LessonProgram {
    LessonProgram(
        number: 11,
        demo: { try AlertsAndSlosDemo.run($0) },
        simulate: { try AlertsAndSlosDemo.simulate($0, tick: $1) },
        exerciseChecks: { AlertsAndSlosChecks.checks(exercise) },
        solutionChecks: { AlertsAndSlosChecks.checks(solutionShouldPage) }
    )
}
