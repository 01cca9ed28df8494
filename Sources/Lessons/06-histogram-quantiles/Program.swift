import WorkbookKit

/// Lesson 6's program (notes: lessons/06-histogram-quantiles.org), with the learner's exercise
/// plugged in by its `main.swift` in the lessons package.
public func lessonProgram(exercise: @escaping HistogramQuantilesChecks.Quantile) -> LessonProgram {
    LessonProgram(
        number: 6,
        demo: { try HistogramQuantilesDemo.run($0) },
        simulate: { registry, tick in try HistogramQuantilesDemo.simulate(registry, tick: tick) },
        exerciseChecks: { HistogramQuantilesChecks.checks(exercise) },
        solutionChecks: { HistogramQuantilesChecks.checks(solutionQuantile) }
    )
}
