import Lesson11AlertsAndSlos

// Lesson 11: alerts and SLOs. See lessons/11-alerts-and-slos.org.
lessonProgram(exercise: shouldPage).main()
