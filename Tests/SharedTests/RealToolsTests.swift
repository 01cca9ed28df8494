import Foundation
import TestSupport
import XCTest

@testable import Instrumentation

/// The exposition checked by the real tools: promtool's linter and Python's reference parsers.
final class RealToolsTests: XCTestCase {
    /// Label values that break naive encoders.
    static let hostileValues = [
        #"say "hi""#, #"C:\temp\"#, "two\nlines", #"\n is not a newline"#, #"\""#, "日本語 ☃ é", "", " padded ", "{braces},=",
    ]

    private func hostileRegistry() throws -> Registry {
        let clock = ManualClock(1_700_000_000.5)
        let registry = Registry(clock: clock)
        let requests = try registry.makeCounterFamily(name: "http_requests", help: "Requests served, \"quoted\" \\ and\nmultiline.", labelNames: ["path", "method"])
        for (index, value) in Self.hostileValues.enumerated() {
            try requests.labels(value, index.isMultiple(of: 2) ? "GET" : "POST").inc(by: Double(index) + 0.5)
        }
        try registry.makeCounter(name: "jobs_processed_total", help: "Jobs.").inc(by: 12_345_678_901)
        let temperature = try registry.makeGaugeFamily(name: "room_temperature_celsius", help: "Temperature.", labelNames: ["room"], unit: "celsius")
        try temperature.labels("lab").set(21.25)
        try temperature.labels("freezer").set(-18)
        try temperature.labels("sun").set(.infinity)
        try temperature.labels("broken").set(.nan)
        try temperature.labels("vacuum").set(-.infinity)
        try registry.makeGauge(name: "tiny_ratio", help: "A tiny value.").set(2.5e-12)
        let latency = try registry.makeHistogramFamily(
            name: "request_duration_seconds", help: "Latency.", labelNames: ["path"], buckets: Buckets.defaults, unit: "seconds")
        for (index, value) in Self.hostileValues.prefix(4).enumerated() {
            let child = try latency.labels(value)
            for step in 0..<(index * 7 + 3) { child.observe(Double(step) * 0.037) }
        }
        _ = try latency.labels("never observed")
        let sizes = try registry.makeSummaryFamily(
            name: "response_size_bytes", help: "Sizes.", labelNames: ["route"],
            objectives: [SummaryObjective(quantile: 0.5, error: 0.05), SummaryObjective(quantile: 0.9, error: 0.01)], unit: "bytes")
        for (index, value) in Self.hostileValues.suffix(3).enumerated() {
            let child = try sizes.labels(value)
            for step in 0..<(index * 50 + 10) { child.observe(Double(step * 13 % 97)) }
        }
        _ = try sizes.labels("empty window")
        try registry.makeSummary(name: "batch_duration_seconds", help: "No objectives.", unit: "seconds").observe(0.75)
        return registry
    }

    func testPromtoolFindsNothingToLintInTheTextFormat() throws {
        let text = PrometheusTextEncoder().render(try hostileRegistry())
        let (status, findings) = try ExpositionCheck.promtoolFindings(text)
        XCTAssertEqual(status, 0, findings)
        XCTAssertEqual(findings, "", "promtool check metrics should print nothing for:\n\(text)")
    }

    func testPythonReadsBackExactlyTheRecordedValuesFromTheTextFormat() throws {
        try assertPythonReadsBack(format: .prometheus)
    }

    func testStrictOpenMetricsParserReadsBackExactlyTheRecordedValues() throws {
        try assertPythonReadsBack(format: .openmetrics)
    }

    func testStrictOpenMetricsParserAcceptsCreatedSamples() throws {
        let text = String(decoding: OpenMetricsEncoder(includeCreated: true).encode(try hostileRegistry().collect()), as: UTF8.self)
        let parsed = try ExpositionCheck.pythonSamples(text, openMetrics: true)
        XCTAssertEqual(parsed.status, 0, parsed.error)
        XCTAssertTrue(parsed.samples.contains { $0.name == "http_requests_created" && $0.value == 1_700_000_000.5 })
    }

    /// The strict parser is not lenient: a known-bad exposition is refused, so its acceptance above means something.
    func testStrictOpenMetricsParserRejectsAMissingEOF() throws {
        let text = OpenMetricsEncoder().render(try hostileRegistry())
        let parsed = try ExpositionCheck.pythonSamples(String(text.dropLast("# EOF\n".count)), openMetrics: true)
        XCTAssertNotEqual(parsed.status, 0)
    }

    private func assertPythonReadsBack(format: ExpositionFormat, file: StaticString = #filePath, line: UInt = #line) throws {
        let registry = try hostileRegistry()
        let families = registry.collect()
        let parsed = try ExpositionCheck.pythonSamples(format.render(families), openMetrics: format == .openmetrics)
        XCTAssertEqual(parsed.status, 0, parsed.error, file: file, line: line)
        let expected = families.flatMap(\.flatSamples).map { sample in
            ParsedSample(name: sample.name, labels: Dictionary(uniqueKeysWithValues: sample.labels.map { label in
                (label.name, ["le", "quantile"].contains(label.name) ? String(Double(label.value)!) : label.value)
            }), value: sample.value)
        }
        XCTAssertEqual(parsed.samples.count, expected.count, file: file, line: line)
        for (found, wanted) in zip(parsed.samples, expected) {
            XCTAssertEqual(found.name, wanted.name, file: file, line: line)
            XCTAssertEqual(found.labels, wanted.labels, file: file, line: line)
            XCTAssertTrue(found.value == wanted.value || (found.value.isNaN && wanted.value.isNaN),
                          "\(wanted.name)\(wanted.labels): expected \(wanted.value), parsed \(found.value)", file: file, line: line)
        }
        XCTAssertGreaterThan(expected.count, 100, "the registry should exercise many series", file: file, line: line)
    }
}
