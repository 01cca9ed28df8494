import Shared

// Lesson 2: counters and gauges. See lessons/02-counters-vs-gauges.org.
LessonProgram(
    number: 2,
    demo: { try CountersVsGaugesDemo.run($0) },
    simulate: { registry, tick in try CountersVsGaugesDemo.simulate(registry, tick: tick) },
    exerciseChecks: { CountersVsGaugesChecks.checks(metricKind) },
    solutionChecks: { CountersVsGaugesChecks.checks(solutionMetricKind) }
).main()
