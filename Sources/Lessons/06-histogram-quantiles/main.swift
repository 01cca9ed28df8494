import Shared

// Lesson 6: quantiles from buckets. See lessons/06-histogram-quantiles.org.
LessonProgram(
    number: 6,
    demo: { try HistogramQuantilesDemo.run($0) },
    simulate: { registry, tick in try HistogramQuantilesDemo.simulate(registry, tick: tick) },
    exerciseChecks: { HistogramQuantilesChecks.checks(quantile) },
    solutionChecks: { HistogramQuantilesChecks.checks(solutionQuantile) }
).main()
