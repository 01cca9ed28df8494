import Lesson02CountersVsGauges

// Lesson 2: counters and gauges. See lessons/02-counters-vs-gauges.org.
lessonProgram(exercise: metricKind).main()
