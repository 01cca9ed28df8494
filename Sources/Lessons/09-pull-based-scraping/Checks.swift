import TimeSeries
import Scraping
import WorkbookKit

/// The checks of lesson 9, run against the exercise or the solution.
///
/// The named checks are the cases worth understanding; the generated one compares the
/// exercise with `solutionSamplesToStore` on thousands of scrapes, half of them plain (a few
/// samples with ordinary labels) and half from these edge classes.
///
/// Edge classes generated:
/// - exposition labels that clash with the target's: `job`, `instance`, both, and with
///   `exported_job` / `exported_instance` (even `exported_exported_job`) already taken;
/// - empty label values: an empty clashing label, an empty `exported_job` (which does not
///   take the name), empty ordinary labels;
/// - label values with non-ASCII text, combining marks, emoji, CR LF, quotes and backslashes;
/// - samples with no labels at all, one sample, many samples (up to 120), the same series twice;
/// - failed scrapes (nil) and empty expositions;
/// - timestamps written in the exposition (whole and fractional seconds, in the past and
///   the future), which must be ignored;
/// - NaN, ±infinity and −0 sample values;
/// - scrape times of 0, negative, and 2^53 + 1 (not exact as a Double).
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
                try expectEqual(try store(scraped, "shop", "shop-1:3001", 15_000), [stored("orders_total", ["shop": "north"], 3, at: 15_000), stored("up", [:], 1, at: 15_000)],
                                input: ScrapeInput(scraped: scraped, job: "shop", instance: "shop-1:3001", scrapeTime: 15_000).description)
            },
            Check("every sample is stamped with the scrape time") {
                let scraped = [ScrapedSample(name: "queue_length", value: 4), ScrapedSample(name: "orders_total", value: 9)]
                try expectEqual(try store(scraped, "shop", "shop-1:3001", 30_000).map(\.timestamp), [30_000, 30_000, 30_000],
                                input: ScrapeInput(scraped: scraped, job: "shop", instance: "shop-1:3001", scrapeTime: 30_000).description + "; the timestamps")
            },
            Check("a timestamp written in the exposition is ignored: history cannot be pulled") {
                let yesterday = [ScrapedSample(name: "legacy_events_total", value: 100, timestamp: 1_699_913_600)]
                try expectEqual(try store(yesterday, "shop", "shop-1:3001", 1_700_000_000_000).map(\.timestamp), [1_700_000_000_000, 1_700_000_000_000],
                                input: ScrapeInput(scraped: yesterday, job: "shop", instance: "shop-1:3001", scrapeTime: 1_700_000_000_000).description + "; the timestamps")
            },
            Check("a successful scrape ends with up 1") {
                let scraped = [ScrapedSample(name: "queue_length", value: 4)]
                try expectEqual(try store(scraped, "shop", "shop-1:3001", 15_000).last, stored("up", [:], 1, at: 15_000),
                                input: ScrapeInput(scraped: scraped, job: "shop", instance: "shop-1:3001", scrapeTime: 15_000).description + "; the last sample")
            },
            Check("an empty exposition is still a successful scrape: only up 1") {
                try expectEqual(try store([], "shop", "shop-1:3001", 15_000), [stored("up", [:], 1, at: 15_000)],
                                input: ScrapeInput(scraped: [], job: "shop", instance: "shop-1:3001", scrapeTime: 15_000).description)
            },
            Check("a failed scrape stores only up 0") {
                try expectEqual(try store(nil, "shop", "shop-1:3001", 45_000), [stored("up", [:], 0, at: 45_000)],
                                input: ScrapeInput(scraped: nil, job: "shop", instance: "shop-1:3001", scrapeTime: 45_000).description)
            },
            Check("the samples keep the order the exposition wrote them in") {
                let scraped = ["b_total", "a_total", "c"].map { ScrapedSample(name: $0, value: 1) }
                try expectEqual(try store(scraped, "shop", "shop-1:3001", 15_000).map(\.labels.metricName), ["b_total", "a_total", "c", "up"],
                                input: ScrapeInput(scraped: scraped, job: "shop", instance: "shop-1:3001", scrapeTime: 15_000).description + "; the metric names")
            },
            Check("the target's job and instance win; the exposition's move to exported_job and exported_instance") {
                let scraped = [ScrapedSample(name: "pushed_total", labels: ["job": "backup", "instance": "batch-7"], value: 2)]
                try expectEqual(try store(scraped, "shop", "shop-1:3001", 15_000).first,
                                stored("pushed_total", ["exported_job": "backup", "exported_instance": "batch-7"], 2, at: 15_000),
                                input: ScrapeInput(scraped: scraped, job: "shop", instance: "shop-1:3001", scrapeTime: 15_000).description + "; the first sample")
            },
            .generated(
                "agrees with the reference on generated scrapes",
                generate: ScrapeInput.generate, shrink: ScrapeInput.shrink, describe: \.description,
                subject: { input in try store(input.scraped, input.job, input.instance, input.scrapeTime) },
                reference: { input in try solutionSamplesToStore(input.scraped, job: input.job, instance: input.instance, scrapeTime: input.scrapeTime) },
                same: sameSamples),
        ]
    }

    /// Whether two answers store the same samples in the same order; NaN values are the same value.
    private static func sameSamples(_ left: [StoredSeriesSample], _ right: [StoredSeriesSample]) -> Bool {
        left.count == right.count && zip(left, right).allSatisfy { one, other in
            one.labels == other.labels && one.timestamp == other.timestamp
                && (one.value == other.value || (one.value.isNaN && other.value.isNaN))
        }
    }
}

/// One generated scrape: what `samplesToStore` is given.
struct ScrapeInput: Sendable, CustomStringConvertible {
    let scraped: [ScrapedSample]?
    let job: String
    let instance: String
    let scrapeTime: Int64

    /// The input as a learner reads it, label values quoted with CR, LF and tabs visible.
    var description: String {
        let samples = scraped.map { samples in "[" + samples.map(Self.shownSample).joined(separator: ", ") + "]" } ?? "nil (the scrape failed)"
        return "scraped: \(samples), job: \(shown(job)), instance: \(shown(instance)), scrapeTime: \(scrapeTime)"
    }

    private static func shownSample(_ sample: ScrapedSample) -> String {
        let labels = sample.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\(shown($0.value))" }
        return sample.name + (labels.isEmpty ? "" : "{" + labels.joined(separator: ",") + "}") + " \(sample.value)"
            + (sample.timestamp.map { " (timestamp \($0) s)" } ?? "")
    }

    private static let names = ["orders_total", "queue_length", "http_requests_total", "latency_seconds_bucket", "temperature_celsius"]
    private static let plainLabels: [String: [String]] = ["shop": ["north", "south"], "method": ["GET", "POST"], "code": ["200", "500"], "le": ["0.1", "+Inf"]]
    /// The names of `plainLabels` in a fixed order, so that a seed always draws the same ones.
    private static let plainLabelNames = plainLabels.keys.sorted()
    private static let oddValues = ["", "Zürich", "東京", "e\u{301}", "👩‍💻", "a\r\nb", "line\nbreak", "say \"hi\"", "back\\slash", " "]
    /// Label sets that clash with the target's `job` and `instance`, each a case of the precedence rule.
    private static let clashes: [[String: String]] = [
        ["job": "backup"],
        ["instance": "batch-7"],
        ["job": "backup", "instance": "batch-7"],
        ["job": "backup", "exported_job": "older"],
        ["job": "backup", "exported_job": "older", "exported_exported_job": "oldest"],
        ["instance": "batch-7", "exported_instance": "older"],
        ["job": "backup", "exported_job": ""],
        ["job": "", "exported_job": "older"],
        ["job": ""],
        ["exported_job": "older"],
        ["job": "shop"],
        ["instance": "shop-1:3001", "job": "backup", "exported_instance": ""],
    ]

    static func generate(_ random: inout SeededRandom) -> ScrapeInput {
        let edge = random.next(below: 2) == 0
        let job = edge ? pick(["shop", "nodé", "a b", "job\r\n", "exported_job"], &random) : "shop"
        let instance = edge ? pick(["shop-1:3001", "[::1]:9090", "東京:80", "h:1"], &random) : "shop-1:3001"
        let scrapeTime: Int64 = edge && random.next(below: 4) == 0
            ? pick([0, -15_000, 9_007_199_254_740_993, 1_700_000_000_123], &random)
            : Int64(random.next(below: 1_000)) * 15_000
        switch random.next(below: 10) {
        case 0: return ScrapeInput(scraped: nil, job: job, instance: instance, scrapeTime: scrapeTime)
        case 1: return ScrapeInput(scraped: [], job: job, instance: instance, scrapeTime: scrapeTime)
        default: break
        }
        let count = edge && random.next(below: 5) == 0 ? 20 + Int(random.next(below: 100)) : 1 + Int(random.next(below: 4))
        var samples: [ScrapedSample] = []
        for _ in 0..<count {
            if !samples.isEmpty, random.next(below: 8) == 0 {
                samples.append(samples[Int(random.next(below: UInt64(samples.count)))])
                continue
            }
            samples.append(sample(edge: edge, &random))
        }
        return ScrapeInput(scraped: samples, job: job, instance: instance, scrapeTime: scrapeTime)
    }

    private static func sample(edge: Bool, _ random: inout SeededRandom) -> ScrapedSample {
        var labels: [String: String] = [:]
        for _ in 0..<random.next(below: 3) {
            let name = pick(plainLabelNames, &random)
            labels[name] = pick(plainLabels[name]!, &random)
        }
        if edge {
            switch random.next(below: 4) {
            case 0, 1: labels.merge(pick(clashes, &random)) { $1 }
            case 2: labels[pick(plainLabelNames, &random)] = pick(oddValues, &random)
            default: labels = [:]
            }
        }
        let value: Double = edge && random.next(below: 4) == 0
            ? pick([.nan, .infinity, -.infinity, -0.0, 1e300], &random)
            : Double(random.next(below: 1_000)) / 4
        let timestamp: Double? = random.next(below: 4) == 0 ? pick([1_699_913_600, 1_700_000_000.5, 0, 2e9], &random) : nil
        return ScrapedSample(name: pick(names, &random), labels: labels, value: value, timestamp: timestamp)
    }

    private static func pick<Element>(_ elements: [Element], _ random: inout SeededRandom) -> Element {
        elements[Int(random.next(below: UInt64(elements.count)))]
    }

    /// Smaller scrapes: half the samples, one sample fewer, fewer labels, shorter values,
    /// no timestamps, plainer values, target and scrape time.
    static func shrink(_ input: ScrapeInput) -> [ScrapeInput] {
        var candidates: [ScrapeInput] = []
        func with(_ scraped: [ScrapedSample]?) -> ScrapeInput {
            ScrapeInput(scraped: scraped, job: input.job, instance: input.instance, scrapeTime: input.scrapeTime)
        }
        if let samples = input.scraped {
            if samples.count > 3 {
                candidates.append(with(Array(samples.prefix(samples.count / 2))))
                candidates.append(with(Array(samples.suffix(samples.count / 2))))
            }
            for index in samples.indices {
                var fewer = samples
                fewer.remove(at: index)
                candidates.append(with(fewer))
            }
            for (index, sample) in samples.enumerated() {
                for simpler in simplified(sample) {
                    var changed = samples
                    changed[index] = simpler
                    candidates.append(with(changed))
                }
            }
        }
        if input.job != "shop" { candidates.append(ScrapeInput(scraped: input.scraped, job: "shop", instance: input.instance, scrapeTime: input.scrapeTime)) }
        if input.instance != "shop-1:3001" { candidates.append(ScrapeInput(scraped: input.scraped, job: input.job, instance: "shop-1:3001", scrapeTime: input.scrapeTime)) }
        if input.scrapeTime != 15_000 { candidates.append(ScrapeInput(scraped: input.scraped, job: input.job, instance: input.instance, scrapeTime: 15_000)) }
        return candidates
    }

    /// One sample made simpler in each way that applies.
    private static func simplified(_ sample: ScrapedSample) -> [ScrapedSample] {
        var candidates: [ScrapedSample] = []
        if sample.timestamp != nil { candidates.append(ScrapedSample(name: sample.name, labels: sample.labels, value: sample.value)) }
        if sample.value != 1, !sample.value.isNaN { candidates.append(ScrapedSample(name: sample.name, labels: sample.labels, value: 1, timestamp: sample.timestamp)) }
        for name in sample.labels.keys.sorted() {
            var fewer = sample.labels
            fewer[name] = nil
            candidates.append(ScrapedSample(name: sample.name, labels: fewer, value: sample.value, timestamp: sample.timestamp))
            if let value = sample.labels[name], value.count > 1 {
                var shorter = sample.labels
                shorter[name] = String(value.dropLast())
                candidates.append(ScrapedSample(name: sample.name, labels: shorter, value: sample.value, timestamp: sample.timestamp))
            }
        }
        return candidates
    }
}
