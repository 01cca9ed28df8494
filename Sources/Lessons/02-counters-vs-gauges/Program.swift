import WorkbookKit

/// Lesson 2's program (notes: lessons/02-counters-vs-gauges.org), with the learner's exercise
/// plugged in by its `main.swift` in the lessons package.
public func lessonProgram(exercise: @escaping CountersVsGaugesChecks.Classify) -> LessonProgram {
    LessonProgram(
        number: 2,
        demo: { try CountersVsGaugesDemo.run($0) },
        simulate: { registry, tick in try CountersVsGaugesDemo.simulate(registry, tick: tick) },
        exerciseChecks: { CountersVsGaugesChecks.checks(exercise) },
        solutionChecks: { CountersVsGaugesChecks.checks(solutionMetricKind) }
    )
}
