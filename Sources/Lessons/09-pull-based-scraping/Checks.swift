import TimeSeries
import Scraping
import WorkbookKit

/// The checks of lesson 9, run against the exercise or the solution.
public enum ScrapeChecks {
    /// The signature of `samplesToStore`.
    public typealias Store = @Sendable ([ScrapedSample]?, String, String, Int64) throws -> [StoredSeriesSample]

    private static let target = ["job": "shop", "instance": "shop-1:3001"]

    private static func stored(_ name: String, _ labels: [String: String] = [:], _ value: Double, at time: Int64) -> StoredSeriesSample {
        StoredSeriesSample(labels: LabelSet(name: name, labels.merging(target) { $1 }), timestamp: time, value: value)
    }

    static func checks(_ store: @escaping Store) -> [Check] {
        [
            Check("each sample gets the job and instance labels, keeping its own") {
                let scraped = [ScrapedSample(name: "orders_total", labels: ["shop": "north"], value: 3)]
                try expectEqual(try store(scraped, "shop", "shop-1:3001", 15_000).first, stored("orders_total", ["shop": "north"], 3, at: 15_000))
            },
            Check("every sample is stamped with the scrape time") {
                let scraped = [ScrapedSample(name: "queue_length", value: 4), ScrapedSample(name: "orders_total", value: 9)]
                try expectEqual(try store(scraped, "shop", "shop-1:3001", 30_000).map(\.timestamp), [30_000, 30_000, 30_000])
            },
            Check("a timestamp written by the target is ignored: history cannot be pulled") {
                let yesterday = ScrapedSample(name: "legacy_events_total", value: 100, timestamp: 1_699_913_600)
                try expectEqual(try store([yesterday], "shop", "shop-1:3001", 1_700_000_000_000).first?.timestamp, 1_700_000_000_000)
            },
            Check("a successful scrape ends with up 1") {
                let scraped = [ScrapedSample(name: "queue_length", value: 4)]
                try expectEqual(try store(scraped, "shop", "shop-1:3001", 15_000).last, stored("up", [:], 1, at: 15_000))
            },
            Check("an empty exposition is still a successful scrape: only up 1") {
                try expectEqual(try store([], "shop", "shop-1:3001", 15_000), [stored("up", [:], 1, at: 15_000)])
            },
            Check("a failed scrape stores only up 0") {
                try expectEqual(try store(nil, "shop", "shop-1:3001", 45_000), [stored("up", [:], 0, at: 45_000)])
            },
            Check("the samples keep the order the target wrote them in") {
                let scraped = ["b_total", "a_total", "c"].map { ScrapedSample(name: $0, value: 1) }
                try expectEqual(try store(scraped, "shop", "shop-1:3001", 15_000).map(\.labels.metricName), ["b_total", "a_total", "c", "up"])
            },
        ]
    }
}
