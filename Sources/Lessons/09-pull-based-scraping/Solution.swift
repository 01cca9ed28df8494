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
        // The scrape time, not sample.timestamp: what the target says happened earlier is not imported.
        StoredSeriesSample(labels: LabelSet(name: sample.name, storedLabels(sample.labels, target: target)), timestamp: scrapeTime, value: sample.value)
    }
    stored.append(StoredSeriesSample(labels: LabelSet(name: "up", target), timestamp: scrapeTime, value: 1))
    return stored
}

/// A sample's labels with the target's added, as Prometheus does with `honor_labels: false`.
///
/// The target's `job` and `instance` always win. An exposition label of the same name is not
/// lost: it moves to `exported_job` (`exported_instance`), or, when the exposition uses that
/// name too, to `exported_exported_job`, and so on until the name is free. An empty value
/// is no label at all, so it neither clashes nor takes a name.
private func storedLabels(_ labels: [String: String], target: [String: String]) -> [String: String] {
    var result = labels.filter { !$0.value.isEmpty }
    for (name, value) in target {
        guard let clashing = result[name] else {
            result[name] = value
            continue
        }
        result[name] = value
        var exportedName = "exported_" + name
        while result[exportedName] != nil { exportedName = "exported_" + exportedName }
        result[exportedName] = clashing
    }
    return result
}
