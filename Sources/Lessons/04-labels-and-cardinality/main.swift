import Shared

// Lesson 4: labels and cardinality. See lessons/04-labels-and-cardinality.org.
LessonProgram(
    number: 4,
    demo: { try LabelsAndCardinalityDemo.run($0) },
    simulate: { registry, tick in try LabelsAndCardinalityDemo.simulate(registry, tick: tick) },
    exerciseChecks: { LabelsAndCardinalityChecks.checks(routeTemplate) },
    solutionChecks: { LabelsAndCardinalityChecks.checks(solutionRouteTemplate) }
).main()
