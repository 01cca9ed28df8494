import Platform
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
        XCTAssertEqual(report.results.count, 9)
    }

    /// The generated check really tries thousands of scrapes, and the blank stops it at the first.
    func testTheGeneratedCheckTriesAtLeastTwoThousandScrapes() {
        let calls = Locked(0)
        let generated = ScrapeChecks.checks { scraped, job, instance, time in
            calls.withLock { $0 += 1 }
            return try solutionSamplesToStore(scraped, job: job, instance: instance, scrapeTime: time)
        }.last!
        XCTAssertTrue(CheckReport(running: [generated]).passed)
        XCTAssertGreaterThanOrEqual(calls.withLock { $0 }, Check.generatedInputCount)
    }

    func testAnUntouchedExerciseIsReportedAsNotAttempted() {
        XCTAssertTrue(CheckReport(running: ScrapeChecks.checks { _, _, _, _ in throw NotAttemptedYet() }).notAttempted)
    }

    /// The precedence rule, case by case, as the exercise's doc comment states it.
    func testClashingLabelsMoveToExportedNames() throws {
        func labels(_ exposed: [String: String]) throws -> [String: String] {
            let stored = try solutionSamplesToStore([ScrapedSample(name: "x", labels: exposed, value: 1)], job: "shop", instance: "a:80", scrapeTime: 0)
            return Dictionary(uniqueKeysWithValues: stored[0].labels.droppingMetricName.labels.map { ($0.name, $0.value) })
        }
        let target = ["job": "shop", "instance": "a:80"]
        XCTAssertEqual(try labels(["job": "backup"]), target.merging(["exported_job": "backup"]) { $1 })
        XCTAssertEqual(try labels(["job": "backup", "exported_job": "old"]), target.merging(["exported_job": "old", "exported_exported_job": "backup"]) { $1 })
        XCTAssertEqual(try labels(["job": "backup", "exported_job": ""]), target.merging(["exported_job": "backup"]) { $1 })
        XCTAssertEqual(try labels(["job": "", "exported_job": "old"]), target.merging(["exported_job": "old"]) { $1 })
        XCTAssertEqual(try labels(["instance": "b:90", "shop": ""]), target.merging(["exported_instance": "b:90"]) { $1 })
    }

    /// A failure shows the input with its label values quoted, and the samples stored.
    func testAGeneratedFailureShowsTheInputAndTheSamples() {
        let mutant = Self.mutants.first { $0.name.hasPrefix("the exposition's job wins") }!.store
        let report = CheckReport(running: [ScrapeChecks.checks(mutant).last!])
        let text = report.rendered(for: Workbook.lessons[8], subject: "Exercise.swift")
        XCTAssertTrue(text.contains("      input:    scraped: ["), text)
        XCTAssertTrue(text.contains("exported_"), text)
        XCTAssertTrue(text.contains("WORKBOOK_CHECK_SEED="), text)
        XCTAssertFalse(text.contains("Optional("), text)
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

    /// The generated check alone catches every mutant too.
    func testTheGeneratedCheckAloneCatchesEveryMutant() {
        for (name, mutant) in Self.mutants {
            XCTAssertFalse(CheckReport(running: [ScrapeChecks.checks(mutant).last!]).passed, "the generated check should catch '\(name)'")
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
        ("the exposition's job wins (honor_labels: true)", { scraped, job, instance, time in
            withLabels(scraped, job, instance, time) { labels, target in labels.merging(target) { exposed, _ in exposed } }
        }),
        ("a clashing label is dropped", { scraped, job, instance, time in
            withLabels(scraped, job, instance, time) { labels, target in labels.merging(target) { $1 } }
        }),
        ("a clashing label overwrites an exported_job already there", { scraped, job, instance, time in
            withLabels(scraped, job, instance, time) { labels, target in
                var result = labels
                for (name, value) in target {
                    if let clashing = labels[name], !clashing.isEmpty { result["exported_" + name] = clashing }
                    result[name] = value
                }
                return result
            }
        }),
        ("an empty exported_job counts as taken", { scraped, job, instance, time in
            withLabels(scraped, job, instance, time) { labels, target in
                var result = labels
                for (name, value) in target {
                    if let clashing = labels[name], !clashing.isEmpty {
                        var exported = "exported_" + name
                        while labels[exported] != nil || result[exported] != nil { exported = "exported_" + exported }
                        result[exported] = clashing
                    }
                    result[name] = value
                }
                return result
            }
        }),
        ("NaN samples left out", { scraped, job, instance, time in
            try solutionSamplesToStore(scraped?.filter { !$0.value.isNaN }, job: job, instance: instance, scrapeTime: time)
        }),
        ("repeated series stored once", { scraped, job, instance, time in
            var seen: [ScrapedSample] = []
            for sample in scraped ?? [] where !seen.contains(sample) { seen.append(sample) }
            return try solutionSamplesToStore(scraped.map { _ in seen }, job: job, instance: instance, scrapeTime: time)
        }),
        ("the scrape time passed through seconds as a Double", { scraped, job, instance, time in
            let roundTripped = Int64(Double(time) / 1000 * 1000)
            return try solutionSamplesToStore(scraped, job: job, instance: instance, scrapeTime: roundTripped)
        }),
        ("samples sorted by series", { scraped, job, instance, time in
            let stored = try solutionSamplesToStore(scraped, job: job, instance: instance, scrapeTime: time)
            return stored.dropLast().sorted { $0.labels < $1.labels } + stored.suffix(1)
        }),
    ]

    /// The reference answer with the label rule replaced by `merge(labels, target)`.
    private static func withLabels(
        _ scraped: [ScrapedSample]?, _ job: String, _ instance: String, _ time: Int64,
        _ merge: ([String: String], [String: String]) -> [String: String]
    ) -> [StoredSeriesSample] {
        let target = ["job": job, "instance": instance]
        guard let scraped else { return [StoredSeriesSample(labels: LabelSet(name: "up", target), timestamp: time, value: 0)] }
        return scraped.map { StoredSeriesSample(labels: LabelSet(name: $0.name, merge($0.labels, target)), timestamp: time, value: $0.value) }
            + [StoredSeriesSample(labels: LabelSet(name: "up", target), timestamp: time, value: 1)]
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
