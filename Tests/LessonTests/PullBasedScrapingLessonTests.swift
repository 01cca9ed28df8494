import Instrumentation
import TimeSeries
import Scraping
import WorkbookKit
import TestSupport
import XCTest

@testable import Lesson09PullBasedScraping

/// Lesson 9: the solution passes every check, known-wrong versions each fail one, and the
/// learner's exercise is checked once attempted; the solution agrees with the engine's scraper.
final class PullBasedScrapingLessonTests: XCTestCase {
    func testTheSolutionPassesEveryCheck() {
        let report = CheckReport(running: ScrapeChecks.checks(solutionSamplesToStore))
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
        XCTAssertEqual(report.results.count, 7)
    }

    func testTheLearnersExerciseCompilesAndPassesOnceAttempted() throws {
        try LearnersExercise.check(Workbook.lessons[8])
    }

    func testEveryMutantFailsAtLeastOneCheck() {
        for (name, mutant) in Self.mutants {
            let report = CheckReport(running: ScrapeChecks.checks(mutant))
            XCTAssertFalse(report.notAttempted, name)
            XCTAssertFalse(report.passed, "the checks should catch the mutant '\(name)'")
        }
    }

    /// The exercise describes what the engine's `Scraper` does; both must store the same samples.
    func testTheSolutionStoresWhatTheScraperStores() throws {
        let clock = ManualClock(1_700_000_000)
        let registry = Registry(clock: clock)
        try registry.makeCounterFamily(name: "orders", help: "Orders.", labelNames: ["shop"]).labels("north").inc(by: 3)
        let source = RegistryScrapeSource(registry: registry, instance: "shop-1:3001")
        let store = SeriesStore()
        let report = Scraper(store: store, clock: clock).scrape(Scraper.Target(job: "shop", source: source))
        let body = try source.fetch(timeout: 1).body
        let expected = try solutionSamplesToStore(
            try ExpositionParser.parse(body, format: .openmetrics), job: "shop", instance: "shop-1:3001", scrapeTime: report.timestamp)
        for sample in expected {
            let stored = store.select(sample.labels.labels.map { try! LabelMatcher($0.name, .equal, $0.value) }, from: 0, through: .max)
            XCTAssertEqual(stored.first?.samples, [StoredSample(timestamp: sample.timestamp, value: sample.value)], "\(sample)")
        }
    }

    /// Known-wrong versions of `samplesToStore`, each a mistake a learner could make.
    static let mutants: [(name: String, store: ScrapeChecks.Store)] = [
        ("uses the target's timestamp when it wrote one", { scraped, job, instance, time in
            try solutionSamplesToStore(scraped, job: job, instance: instance, scrapeTime: time).enumerated().map { index, sample in
                guard let written = scraped?[safe: index]?.timestamp else { return sample }
                return StoredSeriesSample(labels: sample.labels, timestamp: Int64(written * 1000), value: sample.value)
            }
        }),
        ("writes nothing for a failed scrape", { scraped, job, instance, time in
            scraped == nil ? [] : try solutionSamplesToStore(scraped, job: job, instance: instance, scrapeTime: time)
        }),
        ("up 1 even when the scrape failed", { scraped, job, instance, time in
            try solutionSamplesToStore(scraped ?? [], job: job, instance: instance, scrapeTime: time)
        }),
        ("forgets the instance label", { scraped, job, instance, time in
            try solutionSamplesToStore(scraped, job: job, instance: instance, scrapeTime: time).map {
                StoredSeriesSample(labels: $0.labels.removing(["instance"]), timestamp: $0.timestamp, value: $0.value)
            }
        }),
        ("puts up first", { scraped, job, instance, time in
            let stored = try solutionSamplesToStore(scraped, job: job, instance: instance, scrapeTime: time)
            return stored.last.map { [$0] + stored.dropLast() } ?? stored
        }),
    ]
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
