import Lesson09PullBasedScraping
import Scraping
import WorkbookKit

/// Turns one scrape of a target into the samples a Prometheus server stores.
///
/// `scraped` is what the target's `/metrics` held, or nil when the scrape failed (the
/// target was down, or answered garbage). `job` and `instance` are the configured target's
/// labels, never empty. `scrapeTime` is in milliseconds since 1970. Return, in this order:
///
/// 1. every scraped sample, in the order the exposition wrote them (the same series twice
///    stays twice), with:
///    - its name and its own labels, plus `job` and `instance` set to the target's values;
///    - `scrapeTime` as its timestamp, whatever timestamp the exposition wrote: the puller
///      decides when a value was seen;
///    - its value unchanged (NaN and ±infinity included);
/// 2. then one `up` sample with only the `job` and `instance` labels: 1 when the scrape
///    worked (an empty exposition too), 0 when `scraped` is nil (and then nothing else).
///
/// Clashing labels, as Prometheus does with `honor_labels: false`: when a sample already has
/// a `job` label, the target's `job` wins, and the exposition's value is kept under the label
/// `exported_job`; if the sample has an `exported_job` label too, under `exported_exported_job`,
/// and so on, putting `exported_` in front until the name is free. The same for `instance`
/// (`exported_instance`). A label whose value is the empty string counts as absent: it does
/// not clash, it does not take a name, and `LabelSet` drops it.
///
/// A `LabelSet` takes the name and labels: `LabelSet(name: "up", ["job": job, "instance": instance])`.
///
///     samplesToStore([ScrapedSample(name: "orders_total", value: 3)], job: "shop", instance: "a:80", scrapeTime: 15_000)
///     // [orders_total{instance="a:80", job="shop"} 3 @15000, up{instance="a:80", job="shop"} 1 @15000]
///     samplesToStore([ScrapedSample(name: "pushed_total", labels: ["job": "backup"], value: 2)], job: "shop", instance: "a:80", scrapeTime: 15_000)
///     // [pushed_total{exported_job="backup", instance="a:80", job="shop"} 2 @15000, up{instance="a:80", job="shop"} 1 @15000]
///
/// Check your work with `swift run lesson check 9`.
func samplesToStore(_ scraped: [ScrapedSample]?, job: String, instance: String, scrapeTime: Int64) throws -> [StoredSeriesSample] {
    // TODO: build the stored samples as described above, then delete the next line.
    throw NotAttemptedYet()
}
