import Lesson04LabelsAndCardinality

// Lesson 4: labels and cardinality. See lessons/04-labels-and-cardinality.org.
lessonProgram(exercise: routeTemplate).main()
