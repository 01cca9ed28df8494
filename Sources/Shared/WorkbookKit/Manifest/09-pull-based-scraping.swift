import TimeSeries

extension LessonInfo {
    /// Lesson 9: the scrape loop, up, scrape-time timestamps, staleness, pull versus push.
    public static let pullBasedScraping = LessonInfo(
        number: 9, slug: "pull-based-scraping", title: "Pull-based scraping",
        concept: "The scrape loop: up, the sample's timestamp is the scrape time, staleness, and pull versus push",
        hint: "Map each scraped sample to LabelSet(name: sample.name, sample.labels merged with job and instance) at scrapeTime, "
            + "ignoring sample.timestamp; append up 1 at the end; for a nil scrape return only up 0.",
        dashboard: "Scraping")
}
