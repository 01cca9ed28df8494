import Lesson06HistogramQuantiles

// Lesson 6: quantiles from buckets. See lessons/06-histogram-quantiles.org.
lessonProgram(exercise: quantile).main()
