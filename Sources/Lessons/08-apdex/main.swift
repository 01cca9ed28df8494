import Shared

// Lesson 8: Apdex. See lessons/08-apdex.org.
LessonProgram(
    number: 8,
    demo: { try ApdexDemo.run($0) },
    simulate: { registry, tick in try ApdexDemo.simulate(registry, tick: tick) },
    exerciseChecks: { ApdexChecks.checks(apdex) },
    solutionChecks: { ApdexChecks.checks(solutionApdex) }
).main()
