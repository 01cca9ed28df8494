import WorkbookKit

/// Lesson 4's program (notes: lessons/04-labels-and-cardinality.org), with the learner's exercise
/// plugged in by its `main.swift` in the lessons package.
public func lessonProgram(exercise: @escaping LabelsAndCardinalityChecks.Template) -> LessonProgram {
    LessonProgram(
        number: 4,
        demo: { try LabelsAndCardinalityDemo.run($0) },
        simulate: { registry, tick in try LabelsAndCardinalityDemo.simulate(registry, tick: tick) },
        exerciseChecks: { LabelsAndCardinalityChecks.checks(exercise) },
        solutionChecks: { LabelsAndCardinalityChecks.checks(solutionRouteTemplate) }
    )
}
