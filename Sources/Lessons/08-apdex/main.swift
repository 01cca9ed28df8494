import Lesson08Apdex

// Lesson 8: Apdex. See lessons/08-apdex.org.
lessonProgram(exercise: apdex).main()
