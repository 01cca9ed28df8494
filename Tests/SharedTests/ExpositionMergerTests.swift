import TestSupport
import XCTest

@testable import Instrumentation
@testable import Scraping

/// `lesson serve all`'s merge, in both formats: OpenMetrics in, valid OpenMetrics out, with
/// units, `_created` and exemplars kept; text 0.0.4 as it always was.
final class ExpositionMergerTests: XCTestCase {
    /// A lesson's registry: a counter and a histogram with exemplars, a gauge, all in one process.
    private func lessonRegistry(trace: String, created: Double) throws -> Registry {
        let registry = Registry(clock: ManualClock(created))
        try registry.makeCounter(name: "jobs", help: "Jobs \"done\".").inc(by: 2, exemplar: ["trace_id": trace], timestamp: created + 1)
        let latency = try registry.makeHistogram(name: "latency_seconds", help: "Latency.", buckets: [0.1, 1], unit: "seconds")
        try latency.observe(0.5, exemplar: ["trace_id": trace], timestamp: created + 2)
        latency.observe(3)
        try registry.makeGauge(name: "queue", help: "Queue.").set(4)
        return registry
    }

    private func sources(_ format: ExpositionFormat) throws -> [ExpositionMerger.Source] {
        try [("01-a", "aaa", 1_700_000_000.0), ("02-b", "bbb", 1_700_000_100.0)].map { lesson, trace, created in
            let registry = try lessonRegistry(trace: trace, created: created)
            let text = format == .openmetrics
                ? OpenMetricsEncoder(includeCreated: true).encode(registry.collect()) : format.encode(registry.collect())
            return ExpositionMerger.Source(labels: ["lesson": lesson], families: try ExpositionParser.parseFamilies(text, format: format))
        }
    }

    func testOpenMetricsMergeKeepsUnitsCreatedAndExemplars() throws {
        let (bytes, conflicts) = ExpositionMerger.merge(try sources(.openmetrics), format: .openmetrics)
        XCTAssertEqual(conflicts, [])
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.hasSuffix("\n# EOF\n"), text)
        XCTAssertEqual(text.components(separatedBy: "# EOF").count, 2, "exactly one # EOF")

        // The strict parser reads it: one family per name, none interleaved, OpenMetrics' rules kept.
        let families = try ExpositionParser.parseFamilies(bytes, format: .openmetrics)
        XCTAssertEqual(families.map(\.name), ["jobs", "latency_seconds", "queue"])
        XCTAssertEqual(families.map(\.unit), [nil, "seconds", nil])
        XCTAssertEqual(families[0].help, "Jobs \"done\".")
        let samples = families.flatMap(\.samples)
        XCTAssertTrue(samples.allSatisfy { $0.labels["lesson"] == "01-a" || $0.labels["lesson"] == "02-b" })
        XCTAssertEqual(
            samples.filter { $0.name.hasSuffix("_created") }.map { "\($0.name) \($0.labels["lesson"]!) \($0.value)" },
            ["jobs_created 01-a 1700000000.0", "jobs_created 02-b 1700000100.0",
             "latency_seconds_created 01-a 1700000000.0", "latency_seconds_created 02-b 1700000100.0"])
        XCTAssertEqual(samples.filter { $0.exemplar != nil }.map { "\($0)" }, [
            #"jobs_total{lesson="01-a"} 2 # {trace_id="aaa"} 2 @1700000001.0"#,
            #"jobs_total{lesson="02-b"} 2 # {trace_id="bbb"} 2 @1700000101.0"#,
            #"latency_seconds_bucket{le="1.0",lesson="01-a"} 1 # {trace_id="aaa"} 0.5 @1700000002.0"#,
            #"latency_seconds_bucket{le="1.0",lesson="02-b"} 1 # {trace_id="bbb"} 0.5 @1700000102.0"#,
        ])

        // And so does Python's strict parser, exemplars included.
        let python = try ExpositionCheck.pythonSamples(text, openMetrics: true)
        XCTAssertEqual(python.status, 0, python.error)
        XCTAssertEqual(python.samples.count, samples.count)
        let exemplars = try ExpositionCheck.pythonExemplars(text)
        XCTAssertEqual(exemplars.exemplars.map(\.labels), [["trace_id": "aaa"], ["trace_id": "bbb"], ["trace_id": "aaa"], ["trace_id": "bbb"]])
    }

    func testTextFormatMergeStaysTextFormat() throws {
        let (bytes, _) = ExpositionMerger.merge(Array(try sources(.prometheus).prefix(1)), format: .prometheus)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), #"""
            # HELP jobs_total Jobs "done".
            # TYPE jobs_total counter
            jobs_total{lesson="01-a"} 2
            # HELP latency_seconds Latency.
            # TYPE latency_seconds histogram
            latency_seconds_bucket{le="0.1",lesson="01-a"} 0
            latency_seconds_bucket{le="1",lesson="01-a"} 1
            latency_seconds_bucket{le="+Inf",lesson="01-a"} 2
            latency_seconds_sum{lesson="01-a"} 3.5
            latency_seconds_count{lesson="01-a"} 2
            # HELP queue Queue.
            # TYPE queue gauge
            queue{lesson="01-a"} 4

            """#)
    }

    func testATypeConflictLeavesTheFamilyOutInOpenMetricsToo() throws {
        let counter = try ExpositionParser.parseFamilies("# TYPE x counter\nx_total 1\n# EOF\n".utf8, format: .openmetrics)
        let gauge = try ExpositionParser.parseFamilies("# TYPE x gauge\nx 2\n# EOF\n".utf8, format: .openmetrics)
        let (bytes, conflicts) = ExpositionMerger.merge(
            [.init(labels: ["lesson": "a"], families: counter), .init(labels: ["lesson": "b"], families: gauge)], format: .openmetrics)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "# TYPE x counter\nx_total{lesson=\"a\"} 1.0\n# EOF\n")
        XCTAssertEqual(conflicts, [#"x is a gauge in ["lesson": "b"] but a counter elsewhere; left out"#])
    }
}
