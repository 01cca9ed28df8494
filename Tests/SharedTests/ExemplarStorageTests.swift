import XCTest

@testable import Instrumentation
@testable import TimeSeries
@testable import Scraping

/// The bounded exemplar buffer, and the scraper filling it from what targets expose.
final class ExemplarStorageTests: XCTestCase {
    private func exemplar(_ trace: String, _ value: Double, at timestamp: Int64, stamped: Bool = true) -> StoredExemplar {
        StoredExemplar(labels: LabelSet(["trace_id": trace]), value: value, timestamp: timestamp, hasTimestamp: stamped)
    }

    func testTheOldestExemplarsArePushedOutWhenFull() throws {
        let storage = ExemplarStorage(capacity: 3)
        let a = LabelSet(name: "x_bucket", ["le": "1"]), b = LabelSet(name: "x_bucket", ["le": "+Inf"])
        XCTAssertEqual(storage.append(exemplar("1", 0.5, at: 1_000), to: a), .stored)
        XCTAssertEqual(storage.append(exemplar("2", 2, at: 1_000), to: b), .stored)
        XCTAssertEqual(storage.append(exemplar("3", 0.25, at: 2_000), to: a), .stored)
        XCTAssertEqual(storage.append(exemplar("4", 3, at: 3_000), to: b), .stored)
        XCTAssertEqual(storage.count, 3)
        // "1", the oldest, made room for "4".
        XCTAssertEqual(storage.select([], from: 0, through: .max), [
            SeriesExemplars(seriesLabels: b, exemplars: [exemplar("2", 2, at: 1_000), exemplar("4", 3, at: 3_000)]),
            SeriesExemplars(seriesLabels: a, exemplars: [exemplar("3", 0.25, at: 2_000)]),
        ])
    }

    /// Against a model (every stored exemplar in order, the last `capacity` of them kept):
    /// trimming by time keeps exactly the model's exemplars at or after the cutoff, oldest first,
    /// and the ring goes on filling and overwriting in order after it, wrapped or not, refusing
    /// what is older than the cutoff.
    func testForgettingExemplarsBeforeACutoffKeepsTheRestInOrder() throws {
        var random = SystemRandomNumberGenerator()
        let series = (0..<4).map { LabelSet(name: "x_bucket", ["le": String($0)]) }
        for trial in 0..<200 {
            let capacity = Int.random(in: 1...12, using: &random)
            let storage = ExemplarStorage(capacity: capacity)
            var model: [(series: LabelSet, exemplar: StoredExemplar)] = []
            var time: Int64 = 0, floor = Int64.min
            func fill(_ count: Int) {
                for _ in 0..<count {
                    time += Int64.random(in: 1...1_000, using: &random)
                    let which = series.randomElement(using: &random)!
                    let stored = exemplar(String(time), Double(time), at: time)
                    // Older than the last cutoff: refused, and not in the model.
                    guard time >= floor else {
                        XCTAssertEqual(storage.append(stored, to: which), .tooOld)
                        continue
                    }
                    XCTAssertEqual(storage.append(stored, to: which), .stored)
                    model.append((which, stored))
                    if model.count > capacity { model.removeFirst() }
                }
            }
            func expected(from model: [(series: LabelSet, exemplar: StoredExemplar)]) -> [SeriesExemplars] {
                Dictionary(grouping: model, by: \.series).map { SeriesExemplars(seriesLabels: $0.key, exemplars: $0.value.map(\.exemplar)) }
                    .sorted { $0.seriesLabels < $1.seriesLabels }
            }
            fill(Int.random(in: 0...30, using: &random))
            let cutoff = Int64.random(in: 0...(time + 500), using: &random)
            floor = cutoff
            let before = model.count
            model.removeAll { $0.exemplar.timestamp < cutoff }
            XCTAssertEqual(storage.removeExemplars(before: cutoff), before - model.count, "trial \(trial)")
            XCTAssertEqual(storage.count, model.count, "trial \(trial)")
            XCTAssertEqual(storage.select([], from: .min, through: .max), expected(from: model), "trial \(trial), cutoff \(cutoff)")
            fill(Int.random(in: 0...30, using: &random))
            XCTAssertEqual(storage.select([], from: .min, through: .max), expected(from: model), "trial \(trial), after refilling")
        }
    }

    /// A series whose exemplars were all forgotten takes its last one again when it is served again.
    func testASeriesWithNoExemplarLeftTakesItsRepeatAgain() throws {
        let storage = ExemplarStorage(capacity: 10)
        let series = LabelSet(name: "x_total")
        XCTAssertEqual(storage.append(exemplar("1", 1, at: 5_000, stamped: false), to: series), .stored)
        XCTAssertEqual(storage.append(exemplar("1", 1, at: 6_000, stamped: false), to: series), .duplicate)
        XCTAssertEqual(storage.removeExemplars(before: 5_001), 1)
        XCTAssertEqual(storage.append(exemplar("1", 1, at: 7_000, stamped: false), to: series), .stored)
        XCTAssertEqual(storage.removeExemplars(before: 5_001), 0)
    }

    /// A target serves a bucket's latest exemplar until a newer one comes, however old: once
    /// the storage has forgotten everything before a cutoff, such an exemplar is not taken again.
    func testAnExemplarOlderThanTheLastCutoffIsRefused() throws {
        let storage = ExemplarStorage(capacity: 10)
        let series = LabelSet(name: "x_bucket", ["le": "1"])
        XCTAssertEqual(storage.append(exemplar("old", 0.5, at: 1_000), to: series), .stored)
        XCTAssertEqual(storage.removeExemplars(before: 6_000), 1)
        XCTAssertEqual(storage.append(exemplar("old", 0.5, at: 1_000), to: series), .tooOld)
        XCTAssertEqual(storage.append(exemplar("older", 0.5, at: 5_999), to: series), .tooOld)
        XCTAssertEqual(storage.append(exemplar("new", 0.5, at: 6_000), to: series), .stored)
        // A later, smaller cutoff does not lower the floor.
        XCTAssertEqual(storage.removeExemplars(before: 2_000), 0)
        XCTAssertEqual(storage.append(exemplar("other", 0.5, at: 5_000), to: LabelSet(name: "y_total")), .tooOld)
        XCTAssertEqual(storage.count, 1)
    }

    func testRepeatsAreIgnoredAndOlderExemplarsRefused() throws {
        let storage = ExemplarStorage(capacity: 10)
        let series = LabelSet(name: "x_total")
        XCTAssertEqual(storage.append(exemplar("1", 1, at: 5_000), to: series), .stored)
        XCTAssertEqual(storage.append(exemplar("1", 1, at: 5_000), to: series), .duplicate)
        XCTAssertEqual(storage.append(exemplar("2", 1, at: 5_000), to: series), .outOfOrder)
        XCTAssertEqual(storage.append(exemplar("0", 1, at: 4_000), to: series), .outOfOrder)
        XCTAssertEqual(storage.append(exemplar("2", 1, at: 6_000), to: series), .stored)
        XCTAssertEqual(storage.count, 2)
        // Without timestamps of their own, the same labels and value are the same exemplar at any time.
        XCTAssertEqual(storage.append(exemplar("2", 1, at: 9_000, stamped: false), to: series), .stored, "the newest is timed")
        XCTAssertEqual(storage.append(exemplar("2", 1, at: 12_000, stamped: false), to: series), .duplicate)
        XCTAssertEqual(storage.append(exemplar("2", 2, at: 12_000, stamped: false), to: series), .stored)
        XCTAssertEqual(storage.count, 4)
        XCTAssertEqual(ExemplarStorage(capacity: 0).append(exemplar("1", 1, at: 1), to: series), .disabled)
    }

    func testSelectionBySelectorAndTimeRange() throws {
        let storage = ExemplarStorage()
        let checkout = LabelSet(name: "latency_bucket", ["route": "/checkout", "le": "1"])
        let home = LabelSet(name: "latency_bucket", ["route": "/", "le": "1"])
        for second in 1...5 {
            storage.append(exemplar("c\(second)", 0.5, at: Int64(second) * 1_000), to: checkout)
            storage.append(exemplar("h\(second)", 0.1, at: Int64(second) * 1_000), to: home)
        }
        let selected = storage.select(
            [try LabelMatcher("__name__", .equal, "latency_bucket"), try LabelMatcher("route", .matchesRegex, "/check.*")],
            from: 2_000, through: 4_000)
        XCTAssertEqual(selected, [
            SeriesExemplars(seriesLabels: checkout, exemplars: [exemplar("c2", 0.5, at: 2_000), exemplar("c3", 0.5, at: 3_000), exemplar("c4", 0.5, at: 4_000)]),
        ])
        XCTAssertEqual(storage.select([try LabelMatcher("route", .equal, "/nowhere")], from: 0, through: .max), [])
        XCTAssertEqual(storage.select([], from: 6_000, through: 9_000), [])
    }

    func testTheScraperStoresExposedExemplarsUnderTheirSeries() throws {
        let clock = ManualClock(1_700_000_000)
        let registry = Registry(clock: clock)
        let latency = try registry.makeHistogram(name: "latency_seconds", help: "Latency.", buckets: [0.5])
        try latency.observe(0.25, exemplar: ["trace_id": "aaa"], timestamp: 1_699_999_999.5)
        try latency.observe(3, exemplar: ["trace_id": "bbb"])
        let store = SeriesStore()
        let scraper = Scraper(store: store, clock: clock)
        let target = Scraper.Target(job: "shop", source: RegistryScrapeSource(registry: registry, instance: "shop:1"))
        XCTAssertTrue(scraper.scrape(target).up)
        // The same latest exemplars on the next scrapes are repeats: the timed one has the same
        // timestamp; the untimed one is stamped with each scrape's time, which, as in
        // Prometheus, does not make it a new exemplar.
        clock.advance(by: 15)
        XCTAssertTrue(scraper.scrape(target).up)
        clock.advance(by: 15)
        XCTAssertTrue(scraper.scrape(target).up)
        XCTAssertEqual(store.exemplars.count, 2)
        // A new untimed exemplar in the same bucket is stored, at the scrape's time.
        try latency.observe(4, exemplar: ["trace_id": "ccc"])
        clock.advance(by: 15)
        XCTAssertTrue(scraper.scrape(target).up)

        let bucket = { (le: String) in LabelSet(name: "latency_seconds_bucket", ["le": le, "job": "shop", "instance": "shop:1"]) }
        XCTAssertEqual(store.exemplars.select([try LabelMatcher("__name__", .equal, "latency_seconds_bucket")], from: 0, through: .max), [
            SeriesExemplars(seriesLabels: bucket("+Inf"), exemplars: [
                exemplar("bbb", 3, at: 1_700_000_000_000, stamped: false), exemplar("ccc", 4, at: 1_700_000_045_000, stamped: false),
            ]),
            SeriesExemplars(seriesLabels: bucket("0.5"), exemplars: [exemplar("aaa", 0.25, at: 1_699_999_999_500)]),
        ])

        // The text format carries no exemplars, so a scrape of it stores none.
        let textStore = SeriesStore()
        Scraper(store: textStore, clock: clock).scrape(
            Scraper.Target(job: "shop", source: RegistryScrapeSource(registry: registry, instance: "shop:1", format: .prometheus)))
        XCTAssertEqual(textStore.exemplars.count, 0)
    }
}
