import Shared

// Lesson 7: summaries and sliding windows. See lessons/07-summaries-sliding-windows.org.
LessonProgram(
    number: 7,
    demo: { try SummariesSlidingWindowsDemo.run($0) },
    simulate: { try SummariesSlidingWindowsDemo.simulate($0, tick: $1) },
    exerciseChecks: { SummariesSlidingWindowsChecks.checks { SlidingWindowCounter(maxAge: $0, ageBuckets: $1, start: $2) } },
    solutionChecks: { SummariesSlidingWindowsChecks.checks { SolutionSlidingWindowCounter(maxAge: $0, ageBuckets: $1, start: $2) } }
).main()
