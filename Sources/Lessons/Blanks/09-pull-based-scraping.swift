import Lesson09PullBasedScraping
import Scraping
import WorkbookKit

/// Turns one scrape of a target into the samples a Prometheus server stores.
///
/// `scraped` is what the target's `/metrics` held, or nil when the scrape failed (the
/// target was down, or answered garbage). Return, in this order:
///
/// 1. every scraped sample, with two labels added, `job` and `instance`, and with
///    `scrapeTime` as its timestamp, whatever timestamp the exposition wrote: the
///    puller decides when a value was seen;
/// 2. then one `up` sample with only the `job` and `instance` labels: 1 when the scrape
///    worked, 0 when `scraped` is nil (and then nothing else).
///
/// A `LabelSet` takes the name and labels: `LabelSet(name: "up", ["job": job, "instance": instance])`.
///
///     samplesToStore([ScrapedSample(name: "orders_total", value: 3)], job: "shop", instance: "a:80", scrapeTime: 15_000)
///     // [orders_total{instance="a:80", job="shop"} 3 @15000, up{instance="a:80", job="shop"} 1 @15000]
///
/// Check your work with `swift run lesson check 9`.
func samplesToStore(_ scraped: [ScrapedSample]?, job: String, instance: String, scrapeTime: Int64) throws -> [StoredSeriesSample] {
    // TODO: build the stored samples as described above, then delete the next line.
    throw NotAttemptedYet()
}
