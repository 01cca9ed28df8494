import TimeSeries

extension LessonInfo {
    /// Lesson 9: the scrape loop, up, scrape-time timestamps, staleness, pull versus push.
    public static let pullBasedScraping = LessonInfo(
        number: 9, slug: "pull-based-scraping", title: "Pull-based scraping",
        concept: "The scrape loop: up, the sample's timestamp is the scrape time, staleness, and pull versus push",
        hint: "Map each scraped sample, in order, to LabelSet(name: sample.name, labels) at scrapeTime, ignoring sample.timestamp, "
            + "where labels are the sample's non-empty labels with job and instance set to the target's; a non-empty job or instance "
            + "the sample had moves to exported_job / exported_instance (prefix exported_ again while that name is taken). "
            + "Append up 1 at the end; for a nil scrape return only up 0.",
        dashboard: "Scraping")
}
