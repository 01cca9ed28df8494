import XCTest

@testable import Instrumentation

final class RegistryTests: XCTestCase {
    func testCollectsFamiliesByNameAndSeriesByLabelValues() throws {
        let registry = Registry()
        let zeta = try registry.makeGaugeFamily(name: "zeta", help: "Z.", labelNames: ["a", "b"])
        _ = try registry.makeCounter(name: "alpha", help: "A.")
        try zeta.labels("y", "2").set(1)
        try zeta.labels("x", "9").set(2)
        try zeta.labels("y", "10").set(3)
        let families = registry.collect()
        XCTAssertEqual(families.map(\.name), ["alpha", "zeta"])
        XCTAssertEqual(families[1].series.map(\.labelValues), [["x", "9"], ["y", "10"], ["y", "2"]])
    }

    func testTheIdenticalDefinitionReturnsTheExistingMetric() throws {
        let registry = Registry()
        let first = try registry.makeHistogramFamily(name: "h_seconds", help: "H.", labelNames: ["path"], buckets: [1, 2])
        let second = try registry.makeHistogramFamily(name: "h_seconds", help: "H.", labelNames: ["path"], buckets: [1, 2])
        XCTAssertTrue(first === second)
    }

    func testConflictingDefinitionsAreErrors() throws {
        let registry = Registry()
        _ = try registry.makeCounterFamily(name: "jobs", help: "Jobs.", labelNames: ["queue"])
        _ = try registry.makeHistogram(name: "h", help: "H.", buckets: [1])
        let cases: [(() throws -> Any, String)] = [
            ({ try registry.makeGauge(name: "jobs", help: "Jobs.") },
             "metric jobs is already registered as a counter, not a gauge; reuse the existing definition or choose another name"),
            ({ try registry.makeCounterFamily(name: "jobs", help: "Other.", labelNames: ["queue"]) },
             #"metric jobs is already registered with a different help text ("Jobs."); reuse the existing definition or choose another name"#),
            ({ try registry.makeCounterFamily(name: "jobs_total", help: "Jobs.", labelNames: ["queue", "host"]) },
             "metric jobs is already registered with label names [queue]; reuse the existing definition or choose another name"),
            ({ try registry.makeHistogram(name: "h", help: "H.", buckets: [2]) },
             "metric h is already registered with other buckets; reuse the existing definition or choose another name"),
            ({ try registry.makeGauge(name: "jobs_total", help: "Jobs.") },
             "metric jobs_total is already registered under another name: the counter jobs writes the same series names; reuse the existing definition or choose another name"),
            ({ try registry.makeGauge(name: "h_bucket", help: "B.") },
             "metric h_bucket is already registered under another name: the histogram h writes the same series names; reuse the existing definition or choose another name"),
        ]
        for (make, message) in cases {
            XCTAssertThrowsError(try make()) { XCTAssertEqual("\($0)", message) }
        }
    }

    func testInvalidNamesAreRejectedWithWhatToDo() {
        let registry = Registry()
        let cases: [(() throws -> Any, String)] = [
            ({ try registry.makeCounter(name: "2xx_responses", help: "") },
             #"invalid metric name "2xx_responses": use letters, digits, '_' and ':', not starting with a digit ([a-zA-Z_:][a-zA-Z0-9_:]*)"#),
            ({ try registry.makeGauge(name: "cpu-usage", help: "") },
             #"invalid metric name "cpu-usage": use letters, digits, '_' and ':', not starting with a digit ([a-zA-Z_:][a-zA-Z0-9_:]*)"#),
            ({ try registry.makeGauge(name: "", help: "") },
             #"invalid metric name "": use letters, digits, '_' and ':', not starting with a digit ([a-zA-Z_:][a-zA-Z0-9_:]*)"#),
            ({ try registry.makeCounter(name: "_total", help: "") },
             #"invalid metric name "": use letters, digits, '_' and ':', not starting with a digit ([a-zA-Z_:][a-zA-Z0-9_:]*)"#),
            ({ try registry.makeGaugeFamily(name: "g", help: "", labelNames: ["host:port"]) },
             #"metric g: invalid label name "host:port": use letters, digits and '_', not starting with a digit ([a-zA-Z_][a-zA-Z0-9_]*)"#),
            ({ try registry.makeGaugeFamily(name: "g", help: "", labelNames: ["9lives"]) },
             #"metric g: invalid label name "9lives": use letters, digits and '_', not starting with a digit ([a-zA-Z_][a-zA-Z0-9_]*)"#),
            ({ try registry.makeGaugeFamily(name: "g", help: "", labelNames: ["__name__"]) },
             #"metric g: label name "__name__" is reserved: names starting with '__' belong to Prometheus; pick another name"#),
            ({ try registry.makeHistogramFamily(name: "h", help: "", labelNames: ["le"]) },
             #"metric h: label name "le" is reserved for this metric type (le on histograms, quantile on summaries); pick another name"#),
            ({ try registry.makeSummaryFamily(name: "s", help: "", labelNames: ["quantile"]) },
             #"metric s: label name "quantile" is reserved for this metric type (le on histograms, quantile on summaries); pick another name"#),
            ({ try registry.makeGaugeFamily(name: "g", help: "", labelNames: ["a", "a"]) },
             #"metric g: label name "a" is listed twice; each label name may appear once"#),
            ({ try registry.makeGauge(name: "size_bytes", help: "", unit: "seconds") },
             #"metric size_bytes: unit "seconds" must be the suffix of the metric name (name it size_bytes_seconds), and contain only [a-zA-Z0-9_]"#),
        ]
        for (make, message) in cases {
            XCTAssertThrowsError(try make()) { XCTAssertEqual("\($0)", message) }
        }
        // `le` is an ordinary label on a gauge, and `quantile` on a histogram.
        XCTAssertNoThrow(try registry.makeGaugeFamily(name: "g2", help: "", labelNames: ["le", "quantile"]))
        XCTAssertNoThrow(try registry.makeHistogramFamily(name: "h2", help: "", labelNames: ["quantile"]))
    }

    func testWrongNumberOfLabelValues() throws {
        let family = try Registry().makeCounterFamily(name: "requests", help: "", labelNames: ["method", "code"])
        XCTAssertThrowsError(try family.labels("GET")) {
            XCTAssertEqual("\($0)", "metric requests_total has 2 labels (method, code) but was given 1 label value; pass one value per label name, in the order the labels were declared")
        }
        let plain = try Registry().makeGaugeFamily(name: "g", help: "", labelNames: [])
        XCTAssertThrowsError(try plain.labels("x")) {
            XCTAssertEqual("\($0)", "metric g has no labels but was given 1 label value; pass one value per label name, in the order the labels were declared")
        }
    }

    func testFamiliesAndChildrenCanBeRemoved() throws {
        let registry = Registry()
        let family = try registry.makeGaugeFamily(name: "g", help: "G.", labelNames: ["k"])
        try family.labels("a").set(1)
        try family.labels("b").set(2)
        XCTAssertTrue(family.remove(labels: ["a"]))
        XCTAssertFalse(family.remove(labels: ["a"]))
        XCTAssertEqual(registry.collect()[0].series.map(\.labelValues), [["b"]])
        family.removeAll()
        XCTAssertEqual(registry.collect()[0].series.count, 0)
        _ = try registry.makeCounter(name: "c", help: "C.")
        XCTAssertTrue(registry.unregister("c_total"))
        XCTAssertTrue(registry.unregister("g"))
        XCTAssertFalse(registry.unregister("g"))
        XCTAssertEqual(registry.collect().count, 0)
        // After removal the name can be defined afresh, even as another type.
        XCTAssertNoThrow(try registry.makeCounter(name: "g", help: "Now a counter."))
    }

    func testSeriesRecordTheirCreationTime() throws {
        let clock = ManualClock(100)
        let family = try Registry(clock: clock).makeCounterFamily(name: "c", help: "C.", labelNames: ["k"])
        _ = try family.labels("first")
        clock.advance(by: 5)
        _ = try family.labels("second")
        _ = try family.labels("first")
        XCTAssertEqual(family.collect().series.map(\.created), [100, 105])
    }
}
