import Shared

// Lesson 1: what a scrape returns. See lessons/01-exposition.org.
LessonProgram(
    number: 1,
    demo: { try ExpositionDemo.run($0) },
    exerciseChecks: { ExpositionChecks.checks(renderSampleLine) },
    solutionChecks: { ExpositionChecks.checks(solutionRenderSampleLine) }
).main()
