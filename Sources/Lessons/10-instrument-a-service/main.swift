import Lesson10InstrumentAService

// Lesson 10: instrument a service with the RED method. See lessons/10-instrument-a-service.org.
lessonProgram(exercise: instrument).main()
