import Lesson05HistogramBuckets

// Lesson 5: histogram buckets. See lessons/05-histogram-buckets.org.
lessonProgram(exercise: cumulativeBucketCounts).main()
