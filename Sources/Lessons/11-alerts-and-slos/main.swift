import Shared

// Lesson 11: alerts and SLOs. See lessons/11-alerts-and-slos.org.
LessonProgram(
    number: 11,
    demo: { try AlertsAndSlosDemo.run($0) },
    simulate: { try AlertsAndSlosDemo.simulate($0, tick: $1) },
    exerciseChecks: { AlertsAndSlosChecks.checks(shouldPage) },
    solutionChecks: { AlertsAndSlosChecks.checks(solutionShouldPage) }
).main()
