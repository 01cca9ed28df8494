import WorkbookKit

/// Lesson 5's program (notes: lessons/05-histogram-buckets.org), with the learner's exercise
/// plugged in by its `main.swift` in the lessons package.
public func lessonProgram(exercise: @escaping HistogramBucketsChecks.Count) -> LessonProgram {
    LessonProgram(
        number: 5,
        demo: { try HistogramBucketsDemo.run($0) },
        simulate: { registry, tick in try HistogramBucketsDemo.simulate(registry, tick: tick) },
        exerciseChecks: { HistogramBucketsChecks.checks(exercise) },
        solutionChecks: { HistogramBucketsChecks.checks(solutionCumulativeBucketCounts) }
    )
}
