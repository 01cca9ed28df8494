import Foundation
import Platform
import Instrumentation
import HTTP
import TimeSeries
import Scraping
import PromQL
import PrometheusAPI

/// What `lesson serve all` remembers of itself, so it can answer Prometheus's query API
/// without a Prometheus: it scrapes its own `/metrics` every `interval` seconds, as the
/// stack's Prometheus would (job `workbook`), evaluates the stack's recording rules after each
/// scrape (so the dashboards' rule panels have data), keeps `retention` seconds of samples,
/// and forgets older ones.
///
/// The store grows with the series the lessons expose and the samples per series the window
/// holds (`retention / interval`), and no further: `bound` says how many samples that is for
/// the series seen so far.
final class ServeHistory: Sendable {
    let store = SeriesStore()
    let interval: Double
    let retention: Double
    private let scraper: Scraper
    private let target: Scraper.Target
    private let url: String
    private let lastReport = Locked<ScrapeReport?>(nil)
    private let metadata = Locked<[MetricMetadata]>([])
    private let running = Locked(true)
    private let thread = Locked<JoinableThread?>(nil)
    private let rules: [(record: String, expr: String)]
    private let engine: PromQLEngine

    /// Whether the history reads the families' metadata itself, after each scrape, rather than
    /// being told it (`noteFamilies`) by the server whose exposition it scrapes.
    private let readsMetadata: Bool

    init(
        url: String, interval: Double, retention: Double, rules: [(record: String, expr: String)], semantics: PromQLSemantics,
        targetLabels: [String: String] = [:], readsMetadata: Bool = false
    ) {
        self.readsMetadata = readsMetadata
        self.url = url
        self.interval = interval
        self.retention = retention
        self.rules = rules
        engine = PromQLEngine(store: store, semantics: semantics)
        scraper = Scraper(store: store, timeout: max(1, min(10, interval * 0.8)))
        target = Scraper.Target(job: "workbook", source: HTTPScrapeSource(url: url), labels: targetLabels)
    }

    /// Starts scraping on a thread of its own; the first scrape happens at once.
    func start() throws {
        let started = try JoinableThread { [self] in
            var nextTrim = 0.0
            var nextRelease = 0.0
            var announcedSeries = 0
            let startedAt = SystemClock.monotonicSeconds()
            var recorded: [Set<LabelSet>] = Array(repeating: [], count: rules.count)
            while running.withLock({ $0 }) {
                let began = SystemClock.monotonicSeconds()
                let report = scraper.scrape(target)
                lastReport.withLock { $0 = report }
                if readsMetadata, report.up { readMetadata() }
                evaluateRules(at: report.timestamp, recorded: &recorded)
                // Once the lessons have had time to start, what the window will hold; again
                // whenever the series have grown by half since (lesson 4 adds series as new
                // users arrive: its cardinality lesson at work), so the bound said stays true.
                if began - startedAt >= 10 {
                    let series = store.seriesCount
                    if announcedSeries == 0 || series >= announcedSeries + announcedSeries / 2 {
                        announceBound(series: series, again: announcedSeries > 0)
                        announcedSeries = series
                    }
                }
                if began >= nextTrim {
                    let cutoff = report.timestamp - Int64(retention * 1000)
                    store.removeSamples(before: cutoff)
                    store.exemplars.removeExemplars(before: cutoff)
                    nextTrim = began + min(30, retention / 4)
                }
                // What queries allocated and freed since, given back (see `releaseFreeMemory`):
                // without it the process stays at the largest answer each handler thread built.
                if began >= nextRelease {
                    releaseFreeMemory()
                    nextRelease = began + 10
                }
                // Sleeps in short steps, so stopping is quick.
                while running.withLock({ $0 }), SystemClock.monotonicSeconds() < began + interval {
                    usleep(50_000)
                }
            }
        }
        thread.withLock { $0 = started }
    }

    /// The recording rules, in order, at `time`: each answer stored under the rule's name, and
    /// a staleness marker for a series a rule recorded last time and not now, as Prometheus does.
    private func evaluateRules(at time: Int64, recorded: inout [Set<LabelSet>]) {
        for (index, rule) in rules.enumerated() {
            var now = Set<LabelSet>()
            if case .vector(let elements)? = try? engine.evaluate(rule.expr, at: time) {
                for element in elements {
                    let labels = element.labels.setting(LabelSet.metricNameLabel, to: rule.record)
                    store.append(labels, timestamp: time, value: element.value)
                    now.insert(labels)
                }
            }
            for gone in recorded[index].subtracting(now) { store.markStale(gone, timestamp: time) }
            recorded[index] = now
        }
    }

    func stop() {
        running.withLock { $0 = false }
        thread.withLock { $0 }?.join()
    }

    /// Keeps the families' HELP, TYPE and UNIT for `/api/v1/metadata`; `serve all` calls it
    /// with what it merged for each scrape.
    func noteFamilies(_ families: [ScrapedFamily]) {
        let found = families.map { MetricMetadata(name: $0.name, type: $0.type.rawValue, help: $0.help ?? "", unit: $0.unit ?? "") }
        metadata.withLock { $0 = found }
    }

    /// Reads the target's exposition once more for its families' HELP, TYPE and UNIT.
    private func readMetadata() {
        guard let response = try? HTTPClient.get(url: url, headers: ["Accept": "application/openmetrics-text; version=1.0.0"], timeout: scraper.timeout),
              response.status == 200,
              let families = try? ExpositionParser.parseFamilies(
                  response.body, format: ExpositionFormat(contentType: response.headers["Content-Type"] ?? "") ?? .prometheus)
        else { return }
        noteFamilies(families)
    }

    /// Says what the window will hold for `series` series: the bound the history's samples
    /// grow to (more only if the lessons expose more series, when it is said again).
    private func announceBound(series: Int, again: Bool) {
        let samples = Self.samplesBound(series: series, retention: retention, interval: interval)
        let mebibytes = Double(samples * MemoryLayout<StoredSample>.stride) / 1_048_576
        let which = again ? "\(series) series now, as the lessons expose more" : "\(series) series so far"
        print("History: \(which); the window holds at most \(samples) samples for them (\(String(format: "%.0f", mebibytes)) MiB of samples).")
        fflush(nil)
    }

    /// The most samples the window keeps for `series` series.
    static func samplesBound(series: Int, retention: Double, interval: Double) -> Int {
        series * (Int(retention / interval) + 2)
    }
}

extension ServeHistory: TargetProvider, MetadataProvider {
    func activeTargets() -> [APITarget] {
        let report = lastReport.withLock { $0 }
        let health: APITarget.Health = report.map { $0.up ? .up : .down } ?? .unknown
        return [
            APITarget(
                labels: target.targetLabels, scrapeURL: url, health: health, lastScrape: report?.timestamp,
                lastScrapeDuration: report?.durationSeconds ?? 0, lastError: report?.error ?? "",
                scrapeInterval: Self.duration(interval), scrapeTimeout: Self.duration(scraper.timeout)),
        ]
    }

    func metricMetadata() -> [MetricMetadata] {
        metadata.withLock { $0 }
    }

    /// Seconds as Prometheus writes a duration: `5s`, `1m30s`, `500ms`.
    static func duration(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
        if milliseconds % 1000 != 0 { return "\(milliseconds)ms" }
        let whole = milliseconds / 1000
        let (hours, minutes, rest) = (whole / 3600, whole / 60 % 60, whole % 60)
        var text = ""
        if hours > 0 { text += "\(hours)h" }
        if minutes > 0 { text += "\(minutes)m" }
        if rest > 0 || text.isEmpty { text += "\(rest)s" }
        return text
    }
}
