import XCTest

@testable import Instrumentation

/// The bytes of each metric type in both formats, pinned.
final class ExpositionGoldenTests: XCTestCase {
    private func registryWithEveryType() throws -> Registry {
        let clock = ManualClock(1_700_000_000.25)
        let registry = Registry(clock: clock)
        let requests = try registry.makeCounterFamily(name: "http_requests_total", help: "Requests served.", labelNames: ["method", "code"])
        try requests.labels("GET", "200").inc(by: 3)
        try requests.labels("POST", "500").inc(by: 0.5)
        try registry.makeGauge(name: "queue_length", help: "Jobs waiting.\nSecond line with a \\ backslash and \"quotes\".").set(-2)
        let latency = try registry.makeHistogramFamily(
            name: "request_duration_seconds", help: "Request latency.", labelNames: ["path"], buckets: [0.1, 1], unit: "seconds")
        let home = try latency.labels(#"/say "hi""#)
        for value in [0.05, 0.1, 0.7, 3] { home.observe(value) }
        let summary = try registry.makeSummary(
            name: "rpc_size_bytes", help: "RPC sizes.", objectives: [SummaryObjective(quantile: 0.5, error: 0.05)], unit: "bytes")
        for value in [100.0, 200, 300] { summary.observe(value) }
        return registry
    }

    func testPrometheusText() throws {
        XCTAssertEqual(
            PrometheusTextEncoder().render(try registryWithEveryType()),
            #"""
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{method="GET",code="200"} 3
            http_requests_total{method="POST",code="500"} 0.5
            # HELP queue_length Jobs waiting.\nSecond line with a \\ backslash and "quotes".
            # TYPE queue_length gauge
            queue_length -2
            # HELP request_duration_seconds Request latency.
            # TYPE request_duration_seconds histogram
            request_duration_seconds_bucket{path="/say \"hi\"",le="0.1"} 2
            request_duration_seconds_bucket{path="/say \"hi\"",le="1"} 3
            request_duration_seconds_bucket{path="/say \"hi\"",le="+Inf"} 4
            request_duration_seconds_sum{path="/say \"hi\""} 3.85
            request_duration_seconds_count{path="/say \"hi\""} 4
            # HELP rpc_size_bytes RPC sizes.
            # TYPE rpc_size_bytes summary
            rpc_size_bytes{quantile="0.5"} 200
            rpc_size_bytes_sum 600
            rpc_size_bytes_count 3

            """#)
    }

    func testOpenMetricsText() throws {
        XCTAssertEqual(
            OpenMetricsEncoder().render(try registryWithEveryType()),
            #"""
            # HELP http_requests Requests served.
            # TYPE http_requests counter
            http_requests_total{method="GET",code="200"} 3.0
            http_requests_total{method="POST",code="500"} 0.5
            # HELP queue_length Jobs waiting.\nSecond line with a \\ backslash and \"quotes\".
            # TYPE queue_length gauge
            queue_length -2.0
            # HELP request_duration_seconds Request latency.
            # TYPE request_duration_seconds histogram
            # UNIT request_duration_seconds seconds
            request_duration_seconds_bucket{path="/say \"hi\"",le="0.1"} 2.0
            request_duration_seconds_bucket{path="/say \"hi\"",le="1.0"} 3.0
            request_duration_seconds_bucket{path="/say \"hi\"",le="+Inf"} 4.0
            request_duration_seconds_sum{path="/say \"hi\""} 3.85
            request_duration_seconds_count{path="/say \"hi\""} 4.0
            # HELP rpc_size_bytes RPC sizes.
            # TYPE rpc_size_bytes summary
            # UNIT rpc_size_bytes bytes
            rpc_size_bytes{quantile="0.5"} 200.0
            rpc_size_bytes_sum 600.0
            rpc_size_bytes_count 3.0
            # EOF

            """#)
    }

    func testOpenMetricsCreatedSamplesWhenAskedFor() throws {
        let clock = ManualClock(1_700_000_000.25)
        let registry = Registry(clock: clock)
        try registry.makeCounterFamily(name: "jobs", help: "Jobs.", labelNames: ["queue"]).labels("mail").inc()
        try registry.makeGauge(name: "temperature_celsius", help: "Temperature.", unit: "celsius").set(21.5)
        XCTAssertEqual(
            OpenMetricsEncoder(includeCreated: true).render(registry),
            """
            # HELP jobs Jobs.
            # TYPE jobs counter
            jobs_total{queue="mail"} 1.0
            jobs_created{queue="mail"} 1700000000.25
            # HELP temperature_celsius Temperature.
            # TYPE temperature_celsius gauge
            # UNIT temperature_celsius celsius
            temperature_celsius 21.5
            # EOF

            """)
    }

    func testEmptyRegistryAndLabelledFamilyWithoutChildren() throws {
        let registry = Registry()
        XCTAssertEqual(PrometheusTextEncoder().render(registry), "")
        XCTAssertEqual(OpenMetricsEncoder().render(registry), "# EOF\n")
        _ = try registry.makeCounterFamily(name: "errors", help: "", labelNames: ["kind"])
        XCTAssertEqual(PrometheusTextEncoder().render(registry), "# TYPE errors_total counter\n")
    }
    /// A registry's families hand the encoders each series' label pairs already written
    /// out; snapshots built by hand do not, and the encoders escape the values themselves.
    /// Both ways must give the same bytes, hostile label values included.
    func testPreparedLabelPairsMatchPairsWrittenByTheEncoder() throws {
        let registry = Registry(clock: ManualClock(1_700_000_000))
        let hostile = ["", "plain", #"a"b"#, #"back\slash"#, "new\nline", "line\nfeed\n", "héllo wörld ✓", #"{}=,""#, "x\\"]
        let counters = try registry.makeCounterFamily(name: "c", help: "h", labelNames: ["first", "second"])
        let gauges = try registry.makeGaugeFamily(name: "g", help: "h", labelNames: ["value"])
        let histograms = try registry.makeHistogramFamily(name: "h_seconds", help: "h", labelNames: ["value"], buckets: [1])
        let summaries = try registry.makeSummaryFamily(
            name: "s", help: "h", labelNames: ["value"], objectives: [SummaryObjective(quantile: 0.5, error: 0.05)])
        for (index, value) in hostile.enumerated() {
            try counters.labels(value, hostile[(index + 1) % hostile.count]).inc(by: Double(index))
            try gauges.labels(value).set(Double(index))
            try histograms.labels(value).observe(Double(index))
            try summaries.labels(value).observe(Double(index))
        }
        let collected = registry.collect()
        for family in collected {
            let keeps = family.type == .counter || family.type == .gauge
            XCTAssertEqual(family.labelPairsStart != nil, keeps, "\(family.name)")
            XCTAssertTrue(family.series.allSatisfy { ($0.identity != nil) == keeps }, "\(family.name)")
        }
        let byHand = collected.map {
            MetricFamilySnapshot(name: $0.name, type: $0.type, help: $0.help, unit: $0.unit, labelNames: $0.labelNames, series: $0.series)
        }
        XCTAssertFalse(byHand.contains { $0.labelPairsStart != nil })
        for format in [ExpositionFormat.prometheus, .openmetrics] {
            let prepared = String(decoding: format.encode(collected), as: UTF8.self)
            XCTAssertEqual(prepared, String(decoding: format.encode(byHand), as: UTF8.self), "\(format)")
            XCTAssertTrue(prepared.contains(#"c_total{first="a\"b",second="back\\slash"}"#), prepared)
        }
    }

    /// Series moved into a family snapshot with other label names are written with those
    /// names, not with the pairs their own family prepared.
    func testSeriesRelabelledByHandAreNotWrittenWithTheirOldPairs() throws {
        let registry = Registry()
        try registry.makeCounterFamily(name: "c", help: "h", labelNames: ["old"]).labels("v").inc()
        let family = try XCTUnwrap(registry.collect().first)
        let renamed = MetricFamilySnapshot(
            name: "c", type: .counter, help: "h", unit: nil, labelNames: ["new"], series: family.series)
        XCTAssertEqual(String(decoding: ExpositionFormat.prometheus.encode([renamed]), as: UTF8.self),
                       "# HELP c_total h\n# TYPE c_total counter\nc_total{new=\"v\"} 1\n")
    }
}
