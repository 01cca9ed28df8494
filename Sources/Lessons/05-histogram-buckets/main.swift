import Shared

// Lesson 5: histogram buckets. See lessons/05-histogram-buckets.org.
LessonProgram(
    number: 5,
    demo: { try HistogramBucketsDemo.run($0) },
    simulate: { registry, tick in try HistogramBucketsDemo.simulate(registry, tick: tick) },
    exerciseChecks: { HistogramBucketsChecks.checks(cumulativeBucketCounts) },
    solutionChecks: { HistogramBucketsChecks.checks(solutionCumulativeBucketCounts) }
).main()
