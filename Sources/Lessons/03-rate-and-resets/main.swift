import Shared

// Lesson 3: rates and counter resets. See lessons/03-rate-and-resets.org.
LessonProgram(
    number: 3,
    demo: { try RateAndResetsDemo.run($0) },
    simulate: { registry, tick in try RateAndResetsDemo.simulate(registry, tick: tick) },
    exerciseChecks: { RateAndResetsChecks.checks(counterIncrease) },
    solutionChecks: { RateAndResetsChecks.checks(solutionCounterIncrease) }
).main()
