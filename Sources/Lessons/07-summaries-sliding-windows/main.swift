import Lesson07SummariesSlidingWindows

// Lesson 7: summaries and sliding windows. See lessons/07-summaries-sliding-windows.org.
// The checks drive the exercise through the protocol the lesson defines.
extension SlidingWindowCounter: SlidingWindowCounting {}

lessonProgram(exercise: { SlidingWindowCounter(maxAge: $0, ageBuckets: $1, start: $2) }).main()
