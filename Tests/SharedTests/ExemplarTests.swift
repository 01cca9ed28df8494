import TestSupport
import XCTest

@testable import Instrumentation
@testable import Scraping

/// Exemplars from recording to text and back: the limits enforced when one is recorded, the
/// latest kept per counter series and per histogram bucket, written by OpenMetrics only, and
/// read back the same by the workbook's parser and by Python's strict one.
final class ExemplarTests: XCTestCase {
    /// A registry with a counter and a histogram that recorded exemplars, and one that did not.
    private func recordedRegistry() throws -> Registry {
        let registry = Registry(clock: ManualClock(1_700_000_000))
        try registry.makeCounter(name: "jobs", help: "Jobs done.").inc(by: 2, exemplar: ["trace_id": "abc"], timestamp: 1_700_000_000.123)
        try registry.makeCounter(name: "plain", help: "No exemplar.").inc()
        let latency = try registry.makeHistogram(name: "latency_seconds", help: "Latency.", buckets: [0.1, 1], unit: "seconds")
        try latency.observe(0.0625, exemplar: ["trace_id": "a1"], timestamp: 1_700_000_000)
        latency.observe(0.5)
        try latency.observe(2, exemplar: ["trace_id": "c/d", "span_id": "é\\n"])
        return registry
    }

    // MARK: Recording

    func testTheLatestExemplarIsKeptPerCounterAndPerBucket() throws {
        let registry = Registry()
        let counter = try registry.makeCounter(name: "orders", help: "Orders.")
        try counter.inc(exemplar: ["trace_id": "first"])
        try counter.inc(by: 3, exemplar: ["trace_id": "second"], timestamp: 5)
        XCTAssertEqual(counter.value, 4)
        XCTAssertEqual(counter.exemplar, try Exemplar(labels: ["trace_id": "second"], value: 3, timestamp: 5))

        let histogram = try registry.makeHistogram(name: "wait_seconds", help: "Wait.", buckets: [1, 2])
        try histogram.observe(0.5, exemplar: ["trace_id": "a"])
        try histogram.observe(0.75, exemplar: ["trace_id": "b"])
        try histogram.observe(9, exemplar: ["trace_id": "c"])
        histogram.observe(1.5)
        XCTAssertEqual(histogram.exemplars, [
            try Exemplar(labels: ["trace_id": "b"], value: 0.75), nil, try Exemplar(labels: ["trace_id": "c"], value: 9),
        ])
        XCTAssertEqual(histogram.snapshot.cumulativeCounts, [2, 3, 4])
        XCTAssertEqual(histogram.snapshot.sum, 11.75)

        let series = registry.collect().map { ($0.name, $0.series[0].exemplars) }
        XCTAssertEqual(series.map(\.0), ["orders", "wait_seconds"])
        XCTAssertEqual(series[0].1, [counter.exemplar])
        XCTAssertEqual(series[1].1, histogram.exemplars)
    }

    func testPlainRecordingKeepsNoExemplar() throws {
        let registry = Registry()
        let counter = try registry.makeCounter(name: "orders", help: "Orders.")
        let histogram = try registry.makeHistogram(name: "wait_seconds", help: "Wait.", buckets: [1])
        counter.inc()
        counter.inc(by: 2.5)
        histogram.observe(0.5)
        XCTAssertNil(counter.exemplar)
        XCTAssertEqual(histogram.exemplars, [])
        XCTAssertNil(counter.exemplarSlots.load(), "a plain increment must not create the exemplar slots")
        XCTAssertNil(histogram.exemplarSlots.load(), "a plain observation must not create the exemplar slots")
        XCTAssertTrue(registry.collect().allSatisfy { $0.series.allSatisfy { $0.exemplars.isEmpty } })
    }

    func testExemplarLabelsAreLimitedTo128CodePoints() throws {
        let registry = Registry()
        let counter = try registry.makeCounter(name: "orders", help: "Orders.")
        let histogram = try registry.makeHistogram(name: "wait_seconds", help: "Wait.", buckets: [1])
        // "a" and 127 two-byte characters: 128 code points, 255 bytes. Code points count, not bytes.
        let atLimit = ["a": String(repeating: "é", count: 127)]
        try counter.inc(exemplar: atLimit)
        try histogram.observe(0.5, exemplar: atLimit)
        XCTAssertEqual(counter.exemplar?.labels, atLimit)

        let overLimit = ["trace_id": String(repeating: "x", count: 60), "span_id": String(repeating: "y", count: 54)]
        XCTAssertEqual(Exemplar.labelLength(overLimit), 129)
        XCTAssertThrowsError(try counter.inc(exemplar: overLimit)) { error in
            guard case MetricsError.invalidExemplar(_, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(reason, "its label names and values are 129 code points long; at most 128 are allowed")
        }
        XCTAssertThrowsError(try histogram.observe(0.5, exemplar: overLimit))
        // A refused exemplar records nothing: neither the value nor the exemplar.
        XCTAssertEqual(counter.value, 1)
        XCTAssertEqual(histogram.snapshot.count, 1)
        XCTAssertEqual(counter.exemplar?.labels, atLimit)
    }

    func testBadExemplarLabelNamesAndTimestampsThrow() throws {
        let counter = try Registry().makeCounter(name: "orders", help: "Orders.")
        let cases: [([String: String], Double?, String)] = [
            (["trace-id": "a"], nil, "exemplar {trace-id=\"a\"}: invalid label name \"trace-id\": use letters, digits and '_', not starting with a digit"),
            (["1trace": "a"], nil, "exemplar {1trace=\"a\"}: invalid label name \"1trace\": use letters, digits and '_', not starting with a digit"),
            (["": "a"], nil, "exemplar {=\"a\"}: invalid label name \"\": use letters, digits and '_', not starting with a digit"),
            (["__trace": "a"], nil, "exemplar {__trace=\"a\"}: label name \"__trace\" starts with \"__\", which is reserved"),
            (["trace_id": "a"], .nan, "exemplar {trace_id=\"a\"}: the timestamp nan is not a finite number of seconds"),
            (["trace_id": "a"], .infinity, "exemplar {trace_id=\"a\"}: the timestamp inf is not a finite number of seconds"),
        ]
        for (labels, timestamp, message) in cases {
            XCTAssertThrowsError(try counter.inc(exemplar: labels, timestamp: timestamp), "\(labels)") { error in
                XCTAssertEqual("\(error)", message)
            }
        }
        XCTAssertEqual(counter.value, 0)
        XCTAssertNil(counter.exemplar)
    }

    // MARK: Encoding

    func testOpenMetricsWritesExemplarsOnTotalsAndBucketsAndTextFormatNever() throws {
        let families = try recordedRegistry().collect()
        XCTAssertEqual(ExpositionFormat.openmetrics.render(families), #"""
            # HELP jobs Jobs done.
            # TYPE jobs counter
            jobs_total 2.0 # {trace_id="abc"} 2.0 1700000000.123
            # HELP latency_seconds Latency.
            # TYPE latency_seconds histogram
            # UNIT latency_seconds seconds
            latency_seconds_bucket{le="0.1"} 1.0 # {trace_id="a1"} 0.0625 1700000000.0
            latency_seconds_bucket{le="1.0"} 2.0
            latency_seconds_bucket{le="+Inf"} 3.0 # {span_id="é\\n",trace_id="c/d"} 2.0
            latency_seconds_sum 2.5625
            latency_seconds_count 3.0
            # HELP plain No exemplar.
            # TYPE plain counter
            plain_total 1.0
            # EOF

            """#)
        XCTAssertEqual(ExpositionFormat.prometheus.render(families), #"""
            # HELP jobs_total Jobs done.
            # TYPE jobs_total counter
            jobs_total 2
            # HELP latency_seconds Latency.
            # TYPE latency_seconds histogram
            latency_seconds_bucket{le="0.1"} 1
            latency_seconds_bucket{le="1"} 2
            latency_seconds_bucket{le="+Inf"} 3
            latency_seconds_sum 2.5625
            latency_seconds_count 3
            # HELP plain_total No exemplar.
            # TYPE plain_total counter
            plain_total 1

            """#)
    }

    func testEncodedExemplarsParseBackIdentically() throws {
        let registry = try recordedRegistry()
        let labelled = try registry.makeCounterFamily(name: "calls", help: "Calls.", labelNames: ["code"])
        try labelled.labels("200").inc(by: 0.25, exemplar: ["trace_id": String(repeating: "f", count: 32)], timestamp: 1_700_000_001.5)
        try labelled.labels("500").inc(exemplar: [:])
        // Python's parser trips over an escaped quote in exemplar labels; the grammar allows it.
        try registry.makeCounter(name: "quoted", help: "Quoted.").inc(exemplar: ["trace_id": "q\"uote"])
        let text = ExpositionFormat.openmetrics.encode(registry.collect())
        let samples = try ExpositionParser.parse(text, format: .openmetrics)
        let carried = samples.filter { $0.exemplar != nil }.map { "\($0)" }
        XCTAssertEqual(carried, [
            #"calls_total{code="200"} 0.25 # {trace_id="ffffffffffffffffffffffffffffffff"} 0.25 @1700000001.5"#,
            #"calls_total{code="500"} 1 # {} 1"#,
            #"jobs_total 2 # {trace_id="abc"} 2 @1700000000.123"#,
            #"latency_seconds_bucket{le="0.1"} 1 # {trace_id="a1"} 0.0625 @1700000000.0"#,
            #"latency_seconds_bucket{le="+Inf"} 3 # {span_id="é\\n",trace_id="c/d"} 2"#,
            #"quoted_total 1 # {trace_id="q\"uote"} 1"#,
        ])
        // Every exemplar the registry holds comes back as it was recorded, bit for bit.
        let recorded = registry.collect().flatMap { family in family.series.flatMap { $0.exemplars.compactMap { $0 } } }
        XCTAssertEqual(Set(samples.compactMap(\.exemplar).map(\.labels)), Set(recorded.map(\.labels)))
        for exemplar in recorded {
            XCTAssertEqual(samples.compactMap(\.exemplar).first { $0.labels == exemplar.labels }, exemplar)
        }
    }

    func testPythonsStrictParserReadsTheSameExemplars() throws {
        let registry = try recordedRegistry()
        let text = ExpositionFormat.openmetrics.render(registry.collect())
        let python = try ExpositionCheck.pythonExemplars(text)
        XCTAssertEqual(python.status, 0, python.error)
        let ours = try ExpositionParser.parse(Array(text.utf8), format: .openmetrics).compactMap { sample in
            sample.exemplar.map { (sample, $0) }
        }
        XCTAssertEqual(python.exemplars.count, 3)
        XCTAssertEqual(python.exemplars.count, ours.count)
        for (theirs, (sample, exemplar)) in zip(python.exemplars, ours) {
            XCTAssertEqual(theirs.sampleName, sample.name)
            XCTAssertEqual(theirs.sampleLabels, sample.labels)
            XCTAssertEqual(theirs.labels, exemplar.labels)
            XCTAssertEqual(theirs.value.bitPattern, exemplar.value.bitPattern)
            // Python rebuilds the timestamp from whole seconds and nanoseconds: equal to the microsecond.
            XCTAssertEqual(theirs.timestamp == nil, exemplar.timestamp == nil)
            if let seen = theirs.timestamp, let written = exemplar.timestamp { XCTAssertEqual(seen, written, accuracy: 1e-6) }
        }
    }
}
