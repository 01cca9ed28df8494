import Platform
import Instrumentation
import TimeSeries

/// The pull model: fetch a target's exposition, stamp every sample with the scrape time, store it.
///
/// Each scrape of a target appends, with `job` and `instance` labels added:
/// - every sample of the exposition, timestamped with the moment the scrape started. The
///   target says *what* the values are; the scraper decides *when* they were. That is why
///   pulling cannot import history: whatever happened before the first scrape is only ever
///   seen as the value at that first scrape. (Timestamps written in the exposition are
///   ignored here; Prometheus honours them by default, but only within its last hour or two.)
/// - `up` (1 when the scrape worked, 0 when it did not), `scrape_duration_seconds` and
///   `scrape_samples_scraped`, the series Prometheus writes about every scrape.
/// - a staleness marker for every series the previous scrape had and this one does not,
///   and for all of them when the target is down, so queries stop seeing them at once
///   instead of five minutes later.
/// See https://prometheus.io/docs/concepts/jobs_instances/
public final class Scraper: Sendable {
    /// A job (a set of targets doing the same work) and one target of it.
    public struct Target: Sendable {
        public let job: String
        public let source: any ScrapeSource

        public init(job: String, source: any ScrapeSource) {
            self.job = job
            self.source = source
        }
    }

    public let store: SeriesStore
    public let clock: any MetricsClock
    /// How long a scrape may take before it counts as failed, in seconds.
    public let timeout: Double
    private let previousSeries = Locked<[String: Set<LabelSet>]>([:])

    public init(store: SeriesStore, clock: any MetricsClock = WallClock(), timeout: Double = 10) {
        self.store = store
        self.clock = clock
        self.timeout = timeout
    }

    /// Scrapes `target` once, now, and stores what it got.
    @discardableResult
    public func scrape(_ target: Target) -> ScrapeReport {
        let timestamp = Int64((clock.now() * 1000).rounded())
        let targetLabels = ["job": target.job, "instance": target.source.instance]
        let started = ContinuousClock.now
        var samples: [ScrapedSample] = []
        var failure: String?
        do {
            let (body, contentType) = try target.source.fetch(timeout: timeout)
            // Like Prometheus 2, an unknown Content-Type is read as the 0.0.4 text format.
            samples = try ExpositionParser.parse(body, format: ExpositionFormat(contentType: contentType) ?? .prometheus)
        } catch {
            failure = "\(error)"
        }
        let elapsed = ContinuousClock.now - started
        let duration = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

        var current = Set<LabelSet>()
        for sample in samples {
            let labels = Self.labels(of: sample, adding: targetLabels)
            if store.append(labels, timestamp: timestamp, value: sample.value) { current.insert(labels) }
        }
        let key = target.job + "\u{0}" + target.source.instance
        let gone = previousSeries.withLock { previous -> Set<LabelSet> in
            let gone = previous[key, default: []].subtracting(current)
            previous[key] = current
            return gone
        }
        for labels in gone { store.markStale(labels, timestamp: timestamp) }

        let up = failure == nil
        store.append(LabelSet(name: "up", targetLabels), timestamp: timestamp, value: up ? 1 : 0)
        store.append(LabelSet(name: "scrape_duration_seconds", targetLabels), timestamp: timestamp, value: duration)
        store.append(LabelSet(name: "scrape_samples_scraped", targetLabels), timestamp: timestamp, value: Double(current.count))
        return ScrapeReport(timestamp: timestamp, up: up, samplesScraped: current.count, staleMarked: gone.count, durationSeconds: duration, error: failure)
    }

    /// The stored labels of a scraped sample: its own, the target's `job` and `instance`
    /// (a clashing label from the target is kept as `exported_job`/`exported_instance`, as
    /// Prometheus does), and the name.
    static func labels(of sample: ScrapedSample, adding targetLabels: [String: String]) -> LabelSet {
        var pairs: [String: String] = [:]
        for (name, value) in sample.labels {
            pairs[targetLabels[name] == nil ? name : "exported_" + name] = value
        }
        pairs.merge(targetLabels) { $1 }
        pairs[LabelSet.metricNameLabel] = sample.name
        return LabelSet(pairs)
    }
}

/// What one scrape did.
public struct ScrapeReport: Sendable, Equatable {
    /// The scrape time every sample was stamped with, in milliseconds since the epoch.
    public let timestamp: Int64
    public let up: Bool
    /// Samples stored (the value of `scrape_samples_scraped`).
    public let samplesScraped: Int
    /// Series that disappeared since the previous scrape and got a staleness marker.
    public let staleMarked: Int
    public let durationSeconds: Double
    /// Why the scrape failed, when it did.
    public let error: String?
}
