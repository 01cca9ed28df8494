import TimeSeries
import Scraping

/// The reference answer to `samplesToStore` in Exercise.swift. Try the exercise first.
func solutionSamplesToStore(_ scraped: [ScrapedSample]?, job: String, instance: String, scrapeTime: Int64) throws -> [StoredSeriesSample] {
    let target = ["job": job, "instance": instance]
    guard let scraped else {
        // A failed scrape stores one fact: the target was down at this moment.
        return [StoredSeriesSample(labels: LabelSet(name: "up", target), timestamp: scrapeTime, value: 0)]
    }
    var stored = scraped.map { sample in
        var labels = sample.labels
        labels.merge(target) { _, fromTarget in fromTarget }
        // The scrape time, not sample.timestamp: what the target says happened earlier is not imported.
        return StoredSeriesSample(labels: LabelSet(name: sample.name, labels), timestamp: scrapeTime, value: sample.value)
    }
    stored.append(StoredSeriesSample(labels: LabelSet(name: "up", target), timestamp: scrapeTime, value: 1))
    return stored
}
