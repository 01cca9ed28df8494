import XCTest

@testable import Instrumentation
@testable import HTTP
@testable import TimeSeries
@testable import Scraping
@testable import PromQL

final class ScraperTests: XCTestCase {
    private struct FixedSource: ScrapeSource {
        let instance = "fixed:1"
        let body: String
        let contentType: String

        func fetch(timeout: Double) throws -> (body: [UInt8], contentType: String) {
            (Array(body.utf8), contentType)
        }
    }

    private struct DownSource: ScrapeSource {
        let instance: String
        func fetch(timeout: Double) throws -> (body: [UInt8], contentType: String) {
            throw ScrapeError("connection refused")
        }
    }

    private func vector(_ engine: PromQLEngine, _ query: String, at time: Int64) throws -> [LabelSet: Double] {
        guard case .vector(let elements) = try engine.evaluate(query, at: time) else { return [:] }
        return Dictionary(uniqueKeysWithValues: elements.map { ($0.labels, $0.value) })
    }

    func testEverySampleIsStampedWithTheScrapeTimeAndTheTargetsLabels() throws {
        let clock = ManualClock(1_700_000_000)
        let registry = Registry(clock: clock)
        let requests = try registry.makeCounterFamily(name: "http_requests", help: "Requests.", labelNames: ["code"])
        try requests.labels("200").inc(by: 5)
        let store = SeriesStore()
        let scraper = Scraper(store: store, clock: clock)
        let target = Scraper.Target(job: "shop", source: RegistryScrapeSource(registry: registry, instance: "shop-1:3001"))

        let report = scraper.scrape(target)
        XCTAssertTrue(report.up)
        XCTAssertEqual(report.timestamp, 1_700_000_000_000)
        XCTAssertEqual(report.samplesScraped, 1)
        let series = LabelSet(name: "http_requests_total", ["code": "200", "job": "shop", "instance": "shop-1:3001"])
        XCTAssertEqual(store.select([try LabelMatcher("__name__", .equal, "http_requests_total")], from: 0, through: .max).map(\.labels), [series])
        let engine = PromQLEngine(store: store)
        XCTAssertEqual(try vector(engine, "up", at: report.timestamp), [LabelSet(name: "up", ["job": "shop", "instance": "shop-1:3001"]): 1])
        XCTAssertEqual(try vector(engine, "scrape_samples_scraped", at: report.timestamp).values.first, 1)
        XCTAssertEqual(try vector(engine, "scrape_duration_seconds", at: report.timestamp).count, 1)
    }

    /// The lesson of the pull model: what happened before the first scrape is not in the store,
    /// even when the target writes its own (old) timestamps.
    func testPullingCannotImportHistory() throws {
        let clock = ManualClock(1_700_000_000)
        let yesterday = 1_700_000_000 - 86_400
        let source = FixedSource(
            body: "# TYPE legacy_events counter\nlegacy_events_total 100.0 \(yesterday)\nlegacy_events_total 250.0 \(yesterday + 3_600)\n# EOF\n",
            contentType: ExpositionFormat.openmetrics.contentType)
        let store = SeriesStore()
        let scraper = Scraper(store: store, clock: clock)
        let report = scraper.scrape(Scraper.Target(job: "legacy", source: source))
        let stored = store.select([try LabelMatcher("__name__", .equal, "legacy_events_total")], from: 0, through: .max)
        XCTAssertEqual(stored.count, 1)
        XCTAssertEqual(stored[0].samples.map(\.timestamp), [report.timestamp], "stamped with the scrape time, not yesterday")
        XCTAssertEqual(stored[0].samples.map(\.value), [100], "a second sample at the same scrape time is a duplicate and refused")
        let engine = PromQLEngine(store: store)
        XCTAssertEqual(try vector(engine, "legacy_events_total", at: Int64(yesterday + 3_600) * 1000), [:], "nothing is stored at yesterday's times")
    }

    func testAFailedScrapeWritesUpZeroAndMarksEverySeriesStale() throws {
        let clock = ManualClock(1_000)
        let registry = Registry(clock: clock)
        try registry.makeGauge(name: "queue_length", help: "Queue.").set(3)
        let store = SeriesStore()
        let scraper = Scraper(store: store, clock: clock)
        XCTAssertTrue(scraper.scrape(Scraper.Target(job: "worker", source: RegistryScrapeSource(registry: registry, instance: "w:1"))).up)
        clock.advance(by: 15)
        let report = scraper.scrape(Scraper.Target(job: "worker", source: DownSource(instance: "w:1")))
        XCTAssertFalse(report.up)
        XCTAssertEqual(report.error, "connection refused")
        XCTAssertEqual(report.staleMarked, 1)
        let engine = PromQLEngine(store: store)
        XCTAssertEqual(try vector(engine, "up", at: 1_015_000).values.first, 0)
        XCTAssertEqual(try vector(engine, "queue_length", at: 1_014_000).count, 1, "before the failed scrape the gauge is there")
        XCTAssertEqual(try vector(engine, "queue_length", at: 1_015_000), [:], "from the failed scrape on it is stale, not 5 minutes later")
    }

    func testASeriesThatDisappearsGetsAStalenessMarker() throws {
        let clock = ManualClock(1_000)
        let registry = Registry(clock: clock)
        let jobs = try registry.makeGaugeFamily(name: "jobs_running", help: "Jobs.", labelNames: ["queue"])
        try jobs.labels("mail").set(1)
        try jobs.labels("video").set(2)
        let store = SeriesStore()
        let scraper = Scraper(store: store, clock: clock)
        let target = Scraper.Target(job: "worker", source: RegistryScrapeSource(registry: registry, instance: "w:1"))
        scraper.scrape(target)
        jobs.remove(labels: ["video"])
        clock.advance(by: 15)
        XCTAssertEqual(scraper.scrape(target).staleMarked, 1)
        let engine = PromQLEngine(store: store)
        XCTAssertEqual(try vector(engine, "jobs_running", at: 1_015_000).keys.map { $0["queue"] }, ["mail"])
    }

    func testAnUnparsableExpositionFailsTheScrapeWithTheLine() throws {
        let store = SeriesStore()
        let scraper = Scraper(store: store, clock: ManualClock(1))
        let report = scraper.scrape(Scraper.Target(job: "bad", source: FixedSource(body: "ok 1\nbroken{ 2\n", contentType: "text/plain; version=0.0.4")))
        XCTAssertFalse(report.up)
        XCTAssertTrue(report.error?.hasPrefix("line 2:") ?? false, report.error ?? "no error")
    }

    func testAScrapeOverALimitStoresNothingWritesUpZeroAndMarksThePreviousSeriesStale() throws {
        let clock = ManualClock(1_000)
        let store = SeriesStore()
        let scraper = Scraper(store: store, clock: clock, limits: Scraper.Limits(sampleLimit: 2))
        let format = "text/plain; version=0.0.4"
        XCTAssertTrue(scraper.scrape(Scraper.Target(job: "w", source: FixedSource(body: "a 1\nb 2\n# a comment\n", contentType: format))).up)
        clock.advance(by: 15)
        let report = scraper.scrape(Scraper.Target(job: "w", source: FixedSource(body: "a 1\nb 2\n  c 3\n", contentType: format)))
        XCTAssertFalse(report.up)
        XCTAssertEqual(report.error, "sample limit exceeded (3 > 2)")
        XCTAssertEqual(report.samplesScraped, 0)
        XCTAssertEqual(report.staleMarked, 2, "a and b go stale at once, as when the target is down")
        let engine = PromQLEngine(store: store)
        XCTAssertEqual(try vector(engine, "up", at: 1_015_000).values.first, 0)
        XCTAssertEqual(try vector(engine, "a", at: 1_015_000), [:])
        XCTAssertEqual(try vector(engine, "c", at: 1_015_000), [:], "nothing of the failed scrape is stored")
    }

    func testTheDefaultLimitsAndTheBodySizeCheckOfAnInProcessSource() {
        let limits = Scraper.Limits()
        XCTAssertEqual(limits, Scraper.Limits(
            sampleLimit: 200_000, labelLimit: 64, labelNameLengthLimit: 1_024, labelValueLengthLimit: 16_384, bodySizeLimit: 64 << 20))
        // The in-process source checks the body size after reading it.
        let source = FixedSource(body: String(repeating: "x 1\n", count: 10), contentType: "text/plain")
        XCTAssertThrowsError(try source.fetch(timeout: 1, bodySizeLimit: 39)) {
            XCTAssertEqual("\($0)", "body size limit exceeded (more than 39 bytes)")
        }
        XCTAssertEqual(try source.fetch(timeout: 1, bodySizeLimit: 40).body.count, 40)
        XCTAssertEqual(try source.fetch(timeout: 1, bodySizeLimit: 0).body.count, 40, "0 is no limit")
    }

    func testTargetLabelsWinAndClashingOnesAreKeptAsExported() throws {
        let sample = ScrapedSample(name: "x", labels: ["job": "inner", "path": "/"], value: 1)
        XCTAssertEqual(
            Scraper.labels(of: sample, adding: ["job": "outer", "instance": "h:1"]),
            LabelSet(name: "x", ["exported_job": "inner", "path": "/", "job": "outer", "instance": "h:1"]))
    }

    func testScrapesARealServerOverHTTP() throws {
        let registry = Registry()
        try registry.makeCounter(name: "served", help: "Served.").inc(by: 7)
        let server = HTTPServer(port: 0, handler: MetricsEndpoint(registry: registry).makeHandler())
        try server.start()
        defer { server.stop() }
        let store = SeriesStore()
        let report = Scraper(store: store).scrape(Scraper.Target(job: "http", source: HTTPScrapeSource(url: "http://127.0.0.1:\(server.port)/metrics")))
        XCTAssertTrue(report.up, report.error ?? "")
        let stored = store.select([try LabelMatcher("__name__", .equal, "served_total")], from: 0, through: .max)
        XCTAssertEqual(stored.first?.samples.map(\.value), [7])
        XCTAssertEqual(stored.first?.labels["instance"], "127.0.0.1:\(server.port)")
    }
}
