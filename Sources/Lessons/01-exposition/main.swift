import Lesson01Exposition

// Lesson 1: what a scrape returns. See lessons/01-exposition.org.
lessonProgram(exercise: renderSampleLine).main()
