import Lesson03RateAndResets

// Lesson 3: rates and counter resets. See lessons/03-rate-and-resets.org.
lessonProgram(exercise: counterIncrease).main()
