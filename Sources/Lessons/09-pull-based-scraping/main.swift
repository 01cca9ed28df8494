import Lesson09PullBasedScraping

// Lesson 9: pull-based scraping. See lessons/09-pull-based-scraping.org.
lessonProgram(exercise: samplesToStore).main()
