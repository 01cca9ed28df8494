import Platform
import Instrumentation
import Scraping
import WorkbookKit
import XCTest

/// The exposition parser: what the encoders write reads back exactly, every rule of both
/// text formats by hand-written input, and every malformed input as an error naming its line.
final class ExpositionParserTests: XCTestCase {
    // MARK: Round trip through the encoders

    /// Label values and help text that break naive parsers: quotes, backslashes, line
    /// feeds, escape look-alikes, separators, non-ASCII text and empty strings.
    private static let hostileValues = [
        #"/say "hi""#, #"back\slash\"#, "new\nline", "ünïcødé ☃ 𝄞 🎉", "", #"\n is not a newline"#,
        #"\""#, "}{,=# ", "\ttab and  spaces ", "\\\\",
    ]

    /// A registry with every metric type, hostile labels and help, and awkward values.
    private func hostileRegistry() throws -> Registry {
        let registry = Registry(clock: ManualClock(1_700_000_000.125))
        let help = "Line one.\nLine two with a \\ backslash, \"quotes\", \\n and ünï."
        let requests = try registry.makeCounterFamily(name: "http_requests_total", help: help, labelNames: ["method", "path"])
        for (index, value) in Self.hostileValues.enumerated() {
            try requests.labels("M\(index)", value).inc(by: [0, 0.1 + 0.2, 1e21, 3, 123_456_789.125][index % 5])
        }
        try requests.labels(Self.hostileValues[2], Self.hostileValues[3]).inc()

        let temperature = try registry.makeGaugeFamily(
            name: "temperature_celsius", help: "", labelNames: ["sensor"], unit: "celsius")
        let values: [Double] = [
            .nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -2.5e-7,
            9_007_199_254_740_994, 0.1 + 0.2, 1e22, 123_456_789_012_345_683_968, -42,
        ]
        for (index, value) in values.enumerated() {
            try temperature.labels("s\(String(index, radix: 2))").set(value)
        }
        try registry.makeGauge(name: "queue:length", help: "Jobs waiting.").set(7)

        let latency = try registry.makeHistogramFamily(
            name: "request_duration_seconds", help: "Latency \\ \"q\"", labelNames: ["path", "method"],
            buckets: [0.005, 0.1, 1, 2.5, 1e6], unit: "seconds")
        for (index, value) in Self.hostileValues.prefix(4).enumerated() {
            let histogram = try latency.labels(value, "GET")
            for step in 0...index * 3 { histogram.observe(Double(step) * 0.37) }
        }

        let sizes = try registry.makeSummaryFamily(
            name: "rpc_size_bytes", help: "RPC sizes.", labelNames: ["service"],
            objectives: [SummaryObjective(quantile: 0.5, error: 0.05), SummaryObjective(quantile: 0.99, error: 0.001)],
            unit: "bytes")
        for value in [100.0, 200, 350.5] { try sizes.labels("busy").observe(value) }
        _ = try sizes.labels("idle \"never\" called")
        try registry.makeSummary(name: "plain_summary", help: "No objectives.").observe(0.25)

        _ = try registry.makeCounterFamily(name: "errors", help: "None yet.", labelNames: ["kind"])
        return registry
    }

    /// The families a parser should read from `snapshots` rendered in `format`, built from
    /// the snapshots alone: what each encoder promises to write, sample by sample.
    private func expectedFamilies(
        _ snapshots: [MetricFamilySnapshot], format: ExpositionFormat, includeCreated: Bool = false
    ) -> [ScrapedFamily] {
        snapshots.map { family in
            let name = family.type == .counter && format == .prometheus ? family.name + "_total" : family.name
            var samples: [ScrapedSample] = []
            for series in family.series {
                let labels = Dictionary(uniqueKeysWithValues: zip(family.labelNames, series.labelValues))
                func add(_ suffix: String, _ value: Double, extra: (String, Double)? = nil) {
                    var all = labels
                    if let (label, bound) = extra { all[label] = formatSampleValue(bound, for: format) }
                    samples.append(ScrapedSample(name: name + suffix, labels: all, value: value))
                }
                switch series.value {
                case .counter(let value):
                    add(format == .openmetrics ? "_total" : "", value)
                case .gauge(let value):
                    add("", value)
                case .histogram(let histogram):
                    for (index, count) in histogram.cumulativeCounts.enumerated() {
                        let bound = index < histogram.upperBounds.count ? histogram.upperBounds[index] : .infinity
                        add("_bucket", Double(count), extra: ("le", bound))
                    }
                    add("_sum", histogram.sum)
                    add("_count", Double(histogram.count))
                case .summary(let summary):
                    for quantile in summary.quantiles { add("", quantile.value, extra: ("quantile", quantile.quantile)) }
                    add("_sum", summary.sum)
                    add("_count", Double(summary.count))
                }
                if includeCreated, family.type != .gauge { add("_created", series.created) }
            }
            let type = ScrapedFamily.DeclaredType(rawValue: family.type.rawValue) ?? .unknown
            return ScrapedFamily(
                name: name, type: type, help: family.help.isEmpty ? nil : family.help,
                unit: format == .openmetrics ? family.unit : nil, samples: samples)
        }
    }

    /// Parses `bytes` and compares family by family and sample by sample, so a failure names the sample.
    private func assertReadsBack(
        _ bytes: [UInt8], format: ExpositionFormat, as expected: [ScrapedFamily], file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let families = try ExpositionParser.parseFamilies(bytes, format: format)
        XCTAssertEqual(families.map(\.name), expected.map(\.name), file: file, line: line)
        for (family, wanted) in zip(families, expected) {
            XCTAssertEqual(family.type, wanted.type, family.name, file: file, line: line)
            XCTAssertEqual(family.help, wanted.help, family.name, file: file, line: line)
            XCTAssertEqual(family.unit, wanted.unit, family.name, file: file, line: line)
            XCTAssertEqual(family.samples.count, wanted.samples.count, family.name, file: file, line: line)
            for (sample, want) in zip(family.samples, wanted.samples) {
                XCTAssertEqual(sample, want, file: file, line: line)
                XCTAssertEqual(sample.value.bitPattern == want.value.bitPattern, true, "\(sample) bits", file: file, line: line)
            }
        }
        XCTAssertEqual(try ExpositionParser.parse(bytes, format: format), expected.flatMap(\.samples), file: file, line: line)
    }

    func testPrometheusTextReadsBackEverySampleExactly() throws {
        let snapshots = try hostileRegistry().collect()
        let expected = expectedFamilies(snapshots, format: .prometheus)
        XCTAssertEqual(expected.flatMap(\.samples).count, 65)
        try assertReadsBack(ExpositionFormat.prometheus.encode(snapshots), format: .prometheus, as: expected)
    }

    func testOpenMetricsReadsBackEverySampleExactly() throws {
        let snapshots = try hostileRegistry().collect()
        try assertReadsBack(
            ExpositionFormat.openmetrics.encode(snapshots), format: .openmetrics,
            as: expectedFamilies(snapshots, format: .openmetrics))
        try assertReadsBack(
            OpenMetricsEncoder(includeCreated: true).encode(snapshots), format: .openmetrics,
            as: expectedFamilies(snapshots, format: .openmetrics, includeCreated: true))
    }

    func testEmptyExpositions() throws {
        XCTAssertEqual(try ExpositionParser.parse([], format: .prometheus), [])
        XCTAssertEqual(try ExpositionParser.parse("# EOF\n".utf8, format: .openmetrics), [])
        XCTAssertEqual(try ExpositionParser.parse("# EOF".utf8, format: .openmetrics), [])
        XCTAssertEqual(try ExpositionParser.parseFamilies("\n \n\t\n# just a comment".utf8, format: .prometheus), [])
    }

    // MARK: Timestamps

    func testPrometheusTimestampsAreIntegerMillisecondsReadAsSeconds() throws {
        let samples = try ExpositionParser.parse(
            "a 1 1700000000123\nb 2\t 0\nc 3 9223372036854775807\nd 4 1700000000000  \n".utf8, format: .prometheus)
        XCTAssertEqual(samples.map(\.timestamp), [1_700_000_000.123, 0, 9_223_372_036_854_775.807, 1_700_000_000])
        XCTAssertEqual(samples.map(\.value), [1, 2, 3, 4])
    }

    func testOpenMetricsTimestampsAreSeconds() throws {
        let text = """
            # TYPE a gauge
            a 1 1700000000.123
            a 2 1700000001
            a{x="y"} 3 1.7e9
            b 4
            # EOF

            """
        let samples = try ExpositionParser.parse(text.utf8, format: .openmetrics)
        XCTAssertEqual(samples.map(\.timestamp), [1_700_000_000.123, 1_700_000_001, 1.7e9, nil])
        XCTAssertEqual(samples[2].labels, ["x": "y"])
    }

    // MARK: The 0.0.4 rules

    func testPrometheusHelpUnescapesBackslashAndLineFeedOnly() throws {
        let text = #"""
            # HELP a One\ntwo \\ three \"four\" \t five
            # TYPE a gauge
            a 1
            # HELP b
            # HELP c   leading blanks stay after the first
            # HELP d	tab-separated

            """#
        let families = try ExpositionParser.parseFamilies(text.utf8, format: .prometheus)
        XCTAssertEqual(families.map(\.help), [#"One"# + "\n" + #"two \ three \"four\" \t five"#, "", "  leading blanks stay after the first", "tab-separated"])
        XCTAssertEqual(families.map(\.type), [.gauge, .unknown, .unknown, .unknown])
        XCTAssertEqual(families.map(\.samples.count), [1, 0, 0, 0])
    }

    func testPrometheusTypesAndComments() throws {
        let text = """
            # A comment: anything goes here, even {"unbalanced
            #HELP not metadata without a blank after the hash
            # HELPER is a comment too
            #
            \t # TYPE c_total counter
            c_total 1
            # TYPE g\tgauge\t
            g 2
            # TYPE h histogram
            h_bucket{le="+Inf"} 3
            h_sum 4
            h_count 3
            # TYPE s summary
            s{quantile="0.5"} 5
            s_sum 6
            s_count 7
            # UNIT u seconds is a comment in 0.0.4
            # TYPE u untyped
            u 8
            # EOF is a comment in 0.0.4
            other 9
            h_created 10
            """
        let families = try ExpositionParser.parseFamilies(text.utf8, format: .prometheus)
        XCTAssertEqual(families.map(\.name), ["c_total", "g", "h", "s", "u", "other", "h_created"])
        XCTAssertEqual(families.map(\.type), [.counter, .gauge, .histogram, .summary, .unknown, .unknown, .unknown])
        XCTAssertEqual(families.map { $0.samples.map(\.name) }, [
            ["c_total"], ["g"], ["h_bucket", "h_sum", "h_count"], ["s", "s_sum", "s_count"], ["u"], ["other"], ["h_created"],
        ])
        XCTAssertEqual(families.flatMap { $0.samples.map(\.value) }, [1, 2, 3, 4, 3, 5, 6, 7, 8, 9, 10])
        XCTAssertEqual(families.map(\.type.metricType), [.counter, .gauge, .histogram, .summary, nil, nil, nil])
        XCTAssertEqual(families.map(\.unit), [nil, nil, nil, nil, nil, nil, nil])
    }

    func testPrometheusLabelSyntax() throws {
        let text = #"""
            a{} 1
            b{x="1",} 2
            c { x = "1" ,\#ty="2" , } 3
            d{x="1"}4
            e{_under_score9="",A="\\\"\n"} 5
            f{x="\q\\\t"} 6
            g{x="}{,= #"} 7
            """#
        let samples = try ExpositionParser.parse(text.utf8, format: .prometheus)
        XCTAssertEqual(samples.map(\.labels), [
            [:], ["x": "1"], ["x": "1", "y": "2"], ["x": "1"], ["_under_score9": "", "A": "\\\"\n"],
            ["x": #"\q\\t"#], ["x": "}{,= #"],
        ])
        XCTAssertEqual(samples.map(\.value), [1, 2, 3, 4, 5, 6, 7])
    }

    func testNamesFollowTheDataModel() throws {
        let samples = try ExpositionParser.parse("job:requests:rate5m 1\n_x{_a_1=\"v\"} 2\nZ9 3\n".utf8, format: .prometheus)
        XCTAssertEqual(samples.map(\.name), ["job:requests:rate5m", "_x", "Z9"])
        XCTAssertEqual(samples[1].labels, ["_a_1": "v"])
        assertError("9lives 1", .prometheus, line: 1, "expected a metric name, a comment or an empty line, found '9'")
        assertError("a{9=\"x\"} 1", .prometheus, line: 1, "expected a label name or '}', found '9'")
        assertError("a{b:c=\"x\"} 1", .prometheus, line: 1, "expected '=' after label name \"b\", found ':'")
        assertError("a{b-c=\"x\"} 1", .prometheus, line: 1, "expected '=' after label name \"b\", found '-'")
        assertError("a-b 1", .prometheus, line: 1, "expected a space or '{' after the metric name a, found '-'")
        assertError("ä 1", .prometheus, line: 1, "expected a metric name, a comment or an empty line, found the byte 0xC3")
    }

    func testSampleValueSpellings() throws {
        let spellings: [(String, Double)] = [
            ("+Inf", .infinity), ("-Inf", -.infinity), ("Inf", .infinity), ("inf", .infinity), ("+INFINITY", .infinity),
            ("-infinity", -.infinity), ("1", 1), ("-1", -1), ("+1", 1), ("1.", 1), (".5", 0.5), ("-.5e1", -5),
            ("0001.2500", 1.25), ("1e3", 1000), ("1E+3", 1000), ("2.5e-3", 0.0025), ("-0", -0.0), ("1e-400", 0),
            ("4.9406564584124654e-324", .leastNonzeroMagnitude), ("1.7976931348623157e308", .greatestFiniteMagnitude),
            ("0.30000000000000004", 0.1 + 0.2), ("9007199254740993", 9_007_199_254_740_992),
            ("123456789012345678901234567890", 1.2345678901234568e29), ("1" + String(repeating: "0", count: 300), 1e300),
            ("0." + String(repeating: "0", count: 400) + "1e410", 1e9), ("1e22", 1e22), ("1e23", 1e23), ("123456e-20", 1.23456e-15),
        ]
        for (text, expected) in spellings {
            for format in ExpositionFormat.allCases {
                let exposition = "x " + text + "\n" + (format == .openmetrics ? "# EOF\n" : "")
                let value = try ExpositionParser.parse(exposition.utf8, format: format).first?.value
                XCTAssertEqual(value?.bitPattern, expected.bitPattern, "\(text) in \(format): \(value.map { "\($0)" } ?? "nil")")
            }
        }
        for nan in ["NaN", "nan", "NAN", "nAn"] {
            XCTAssertEqual(try ExpositionParser.parse("x \(nan)".utf8, format: .prometheus).first?.value.isNaN, true, nan)
        }
    }

    /// Integers of every length from 1 to 25 digits, signed or not, with leading zeros or not,
    /// as values and as OpenMetrics timestamps, read to the correctly rounded Double that
    /// Swift's own conversion gives.
    func testGeneratedIntegersReadCorrectlyRounded() throws {
        var random = SystemRandomNumberGenerator()
        var lines: [String] = [], expected: [(value: Double, timestamp: Double)] = []
        for index in 0..<3_000 {
            let length = 1 + index % 25
            var digits = (0..<length).map { _ in String(Int.random(in: 0...9, using: &random)) }.joined()
            if index % 7 == 0 { digits = "00" + digits }
            if index % 11 == 0 { digits = String("9007199254740993".prefix(length)) + digits.dropFirst(min(length, 16)) }
            let sign = ["", "-", "+"][index % 3]
            let value = try XCTUnwrap(Double(sign + digits)), timestamp = try XCTUnwrap(Double(digits))
            lines.append("x{n=\"\(index)\"} \(sign)\(digits) \(digits)")
            expected.append((value, timestamp))
        }
        let samples = try ExpositionParser.parse((lines.joined(separator: "\n") + "\n# EOF\n").utf8, format: .openmetrics)
        XCTAssertEqual(samples.count, expected.count)
        for (index, (sample, want)) in zip(samples, expected).enumerated() {
            XCTAssertEqual(sample.value.bitPattern, want.value.bitPattern, "\(lines[index]): value \(sample.value)")
            XCTAssertEqual(sample.timestamp?.bitPattern, want.timestamp.bitPattern, "\(lines[index]): timestamp \(sample.timestamp ?? .nan)")
        }
    }

    func testNumbersPrometheusRefusesAreRefused() {
        let refused = [
            "0x1p3", "0x10", "1_000", "+NaN", "-nan", "in", "infinit", "infinityy", "Infinity1", "1e", "e5", ".", "-", "+",
            "--1", "1..2", "1.2.3", "1e5.5", "1e+", "١", "1,5", "1f", "true", "\"1\"", "1e1_0", "0b1",
        ]
        for text in refused {
            for format in ExpositionFormat.allCases {
                let exposition = "x " + text + "\n" + (format == .openmetrics ? "# EOF\n" : "")
                let shown = text.unicodeScalars.map { $0.escaped(asASCII: false) }.joined()
                assertError(
                    exposition, format, line: 1,
                    "invalid sample value \"\(shown)\": expected a number such as 1, -2.5e3, +Inf, -Inf or NaN")
            }
        }
        for text in ["1e309", "-1e400", "2e308", "1" + String(repeating: "0", count: 309)] {
            let shown = text.count > 40 ? "\"" + text.prefix(40) + "…\"" : "\"\(text)\""
            assertError("x \(text)", .prometheus, line: 1, "sample value \(shown) is beyond the range of a 64-bit float")
        }
    }

    func testEmptyLinesBlanksAndMissingFinalNewline() throws {
        let text = "\n\n  a 1  \n\t\n\tb\t2\t\n \n c 3"
        let samples = try ExpositionParser.parse(text.utf8, format: .prometheus)
        XCTAssertEqual(samples, [ScrapedSample(name: "a", value: 1), ScrapedSample(name: "b", value: 2), ScrapedSample(name: "c", value: 3)])
        XCTAssertEqual(try ExpositionParser.parse("a{x=\"1\"} 1 5".utf8, format: .prometheus).first?.timestamp, 0.005)
    }

    func testDuplicateLabelIsAnError() {
        assertError("ok 1\na{x=\"1\",y=\"2\",x=\"3\"} 1\n", .prometheus, line: 2, "label \"x\" appears twice in one sample; each label name may appear once")
        assertError("a{x=\"1\",x=\"1\"} 1\n# EOF\n", .openmetrics, line: 1, "label \"x\" appears twice in one sample; each label name may appear once")
    }

    func testPrometheusMalformedLines() {
        let cases: [(String, Int, String)] = [
            ("a{x=\"1\" y=\"2\"} 1", 1, "expected ',' or '}' after the value of label \"x\", found 'y'"),
            ("a 1\nb{method} 2", 2, "expected '=' after label name \"method\", found '}'"),
            ("a{method=GET} 1", 1, "expected '\"' to open the value of label \"method\", found 'G'"),
            ("a{x=\"1} 2\nb 3", 1, "unterminated value of label \"x\": a label value ends with '\"' on the same line"),
            ("a{x=\"1\\", 1, "unterminated value of label \"x\": a label value ends with '\"' on the same line"),
            ("a{x=\"1\\\n\"} 2", 1, "unterminated value of label \"x\": a label value ends with '\"' on the same line"),
            ("a{,} 1", 1, "expected a label name or '}', found ','"),
            ("a{x=\"1\",,} 1", 1, "expected a label name after ',', found ','"),
            ("a{x=\"1\"", 1, "expected ',' or '}' after the value of label \"x\", found the end of the input"),
            ("a", 1, "expected a sample value after the metric name a, found the end of the input"),
            ("a \n", 1, "expected a sample value after the metric name a, found the end of the line"),
            ("a{} ", 1, "expected a sample value after the labels of a, found the end of the input"),
            ("a 1 2 3", 1, "unexpected '3' after the timestamp"),
            ("a 1 -5", 1, "invalid timestamp \"-5\": the 0.0.4 format writes integer milliseconds since the epoch"),
            ("a 1 1.5", 1, "invalid timestamp \"1.5\": the 0.0.4 format writes integer milliseconds since the epoch"),
            ("a 1 9223372036854775808", 1, "timestamp \"9223372036854775808\" is too large for 64-bit milliseconds"),
            ("a 1\r\n", 1, "invalid sample value \"1\\r\": expected a number such as 1, -2.5e3, +Inf, -Inf or NaN"),
            ("a{x=\"\\\u{1}\"} 1 x", 1, "invalid timestamp \"x\": the 0.0.4 format writes integer milliseconds since the epoch"),
            ("# TYPE a gauge\n# TYPE a counter\n", 2, "second # TYPE line for a; each family has at most one"),
            ("# HELP a x\n# HELP a y\n", 2, "second # HELP line for a; each family has at most one"),
            ("# TYPE a\n", 1, "expected a metric type after # TYPE a, found the end of the line"),
            ("# TYPE a gauge x\n", 1, "unexpected 'x' after the type in # TYPE a"),
            ("# TYPE a unknown\n", 1, "unknown metric type \"unknown\" in # TYPE a; expected counter, gauge, histogram, summary or untyped"),
            ("# TYPE a stateset\n", 1, "unknown metric type \"stateset\" in # TYPE a; expected counter, gauge, histogram, summary or untyped"),
            ("# TYPE a Gauge\n", 1, "unknown metric type \"Gauge\" in # TYPE a; expected counter, gauge, histogram, summary or untyped"),
            ("# HELP  \n", 1, "expected a metric name after # HELP, found the end of the line"),
            ("# HELP a-b text\n", 1, "expected a space after the metric name a in # HELP, found '-'"),
            ("# TYPE 1a gauge\n", 1, "expected a metric name after # TYPE, found '1'"),
            ("a 1\n# TYPE a gauge\n", 2, "# TYPE for a comes after its samples; a family's metadata lines come first"),
            ("# HELP a x\n# TYPE a gauge\na 1\n# HELP a again\n", 4, "# HELP for a comes after its samples; a family's metadata lines come first"),
            ("a 1\nb 2\na 3\n", 3, "a was already used by an earlier metric family; a family's lines must be grouped together"),
            ("# TYPE h histogram\nh_sum 1\nx 1\nh_count 1\n", 4, "h_count was already used by an earlier metric family; a family's lines must be grouped together"),
            ("# TYPE h histogram\nh_sum 1\n# TYPE h_sum gauge\n", 3, "h_sum was already used by an earlier metric family; a family's lines must be grouped together"),
            ("# TYPE h histogram\nh 1\n", 2, "sample h does not belong to the histogram h: its samples are named h_bucket, h_count, h_sum"),
            ("a{x=\"\\n\"} 1\nb{x=\"\u{0}\"} 2\nc 1e999999999999999999999", 3,
             "sample value \"1e999999999999999999999\" is beyond the range of a 64-bit float"),
        ]
        for (text, line, reason) in cases {
            assertError(text, .prometheus, line: line, reason)
        }
    }

    func testInvalidUTF8IsRefusedNotRepaired() {
        let value: [UInt8] = Array("a{x=\"".utf8) + [0xC3, 0x28] + Array("\"} 1\n".utf8)
        assertError(value, .prometheus, line: 1, "the value of label \"x\" is not valid UTF-8")
        let escaped: [UInt8] = Array("a{x=\"\\n".utf8) + [0xFF] + Array("\"} 1\n".utf8)
        assertError(escaped, .prometheus, line: 1, "the value of label \"x\" is not valid UTF-8")
        let help: [UInt8] = Array("ok 1\n# HELP a b".utf8) + [0xED, 0xA0, 0x80] + Array("\n".utf8)
        assertError(help, .prometheus, line: 2, "help text is not valid UTF-8")
        let comment: [UInt8] = Array("# comments may hold any bytes: ".utf8) + [0xFF, 0x00] + Array("\na 1\n".utf8)
        XCTAssertEqual(try ExpositionParser.parse(comment, format: .prometheus), [ScrapedSample(name: "a", value: 1)])
    }

    // MARK: The OpenMetrics rules

    func testOpenMetricsMetadataAndEscapes() throws {
        let text = #"""
            # HELP latency_seconds One\ntwo \\ \"three\"
            # TYPE latency_seconds histogram
            # UNIT latency_seconds seconds
            latency_seconds_bucket{le="1.0",path="a\\b\"c\nd"} 1
            latency_seconds_bucket{le="+Inf",path="a\\b\"c\nd"} 2
            latency_seconds_count{path="a\\b\"c\nd"} 2
            latency_seconds_sum{path="a\\b\"c\nd"} 1.5
            latency_seconds_created{path="a\\b\"c\nd"} 1700000000.5
            # TYPE jobs counter
            # HELP jobs\#u{20}
            jobs_total 3
            jobs_created 1700000000
            # TYPE sets stateset
            sets{sets="a"} 1
            # TYPE build info
            build_info{version="1.2"} 1
            # TYPE queue gaugehistogram
            queue_bucket{le="+Inf"} 4
            queue_gcount 4
            queue_gsum 10
            # TYPE u unknown
            # UNIT u\#u{20}
            u 1
            # HELP untyped_alone Unknown escapes \q \t stay, as does a last \
            untyped_alone{x="\q\t\"\\"} 2
            # EOF
            """#
        let families = try ExpositionParser.parseFamilies(text.utf8, format: .openmetrics)
        XCTAssertEqual(families.map(\.name), ["latency_seconds", "jobs", "sets", "build", "queue", "u", "untyped_alone"])
        XCTAssertEqual(families.map(\.type), [.histogram, .counter, .stateSet, .info, .gaugeHistogram, .unknown, .unknown])
        XCTAssertEqual(families.map(\.help), [
            "One\ntwo \\ \"three\"", "", nil, nil, nil, nil, #"Unknown escapes \q \t stay, as does a last \"#,
        ])
        XCTAssertEqual(families.last?.samples.first?.labels, ["x": #"\q\t"\"#])
        XCTAssertEqual(families.map(\.unit), ["seconds", nil, nil, nil, nil, "", nil])
        XCTAssertEqual(families.map(\.samples.count), [5, 2, 1, 1, 3, 1, 1])
        XCTAssertEqual(Set(families[0].samples.map { $0.labels["path"] }), ["a\\b\"c\nd"])
        XCTAssertEqual(families[0].samples.map(\.value), [1, 2, 2, 1.5, 1_700_000_000.5])
    }

    func testOpenMetricsExemplarsAreCheckedAndKept() throws {
        let text = #"""
            # TYPE a counter
            a_total 1 # {trace_id="abc\"d"} 0.5
            a_total{x="1"} 2 1700000000 # {} 1 1700000000.25
            # TYPE h histogram
            h_bucket{le="+Inf"} 3 # {span_id="x",trace_id="y"} -Inf
            h_count 3
            h_sum 2
            # EOF
            """#
        let samples = try ExpositionParser.parse(text.utf8, format: .openmetrics)
        XCTAssertEqual(samples, [
            ScrapedSample(name: "a_total", value: 1, exemplar: Exemplar(checkedLabels: ["trace_id": "abc\"d"], value: 0.5, timestamp: nil)),
            ScrapedSample(
                name: "a_total", labels: ["x": "1"], value: 2, timestamp: 1_700_000_000,
                exemplar: Exemplar(checkedLabels: [:], value: 1, timestamp: 1_700_000_000.25)),
            ScrapedSample(
                name: "h_bucket", labels: ["le": "+Inf"], value: 3,
                exemplar: Exemplar(checkedLabels: ["span_id": "x", "trace_id": "y"], value: -.infinity, timestamp: nil)),
            ScrapedSample(name: "h_count", value: 3),
            ScrapedSample(name: "h_sum", value: 2),
        ])
        let broken: [(String, String)] = [
            ("a_total 1 # {trace_id=\"x\"}", "expected a space and a value after the exemplar's labels, found the end of the line"),
            ("a_total 1 # {trace_id=\"x\"} z", "invalid exemplar value \"z\""),
            ("a_total 1 # {trace_id=x} 1", "expected '\"' to open the value of label \"trace_id\", found 'x'"),
            ("a_total 1 # trace 1", "expected a timestamp or an exemplar (\" # {\") after the value, found 't'"),
            ("a_total 1 #{} 1", "expected a timestamp or an exemplar (\" # {\") after the value, found '{'"),
            ("a_total 1 # {} 1 NaN", "exemplar timestamp \"NaN\" is not a finite number of seconds"),
            ("a_total 1 # {} 1 2 3", "unexpected ' ' after the sample; a line ends after the value, timestamp or exemplar"),
            ("a_total 1 2 # {} 1 2 # {} 1", "unexpected ' ' after the sample; a line ends after the value, timestamp or exemplar"),
        ]
        for (line, reason) in broken {
            assertError("# TYPE a counter\n" + line + "\n# EOF\n", .openmetrics, line: 2, reason)
        }
        assertError("a 1 # {} 1\n", .prometheus, line: 1, "invalid timestamp \"#\": the 0.0.4 format writes integer milliseconds since the epoch")
    }

    func testOpenMetricsEndsWithEOFAndNothingAfter() {
        assertError("a 1\n", .openmetrics, line: 2, "missing \"# EOF\": an OpenMetrics exposition ends with the line # EOF")
        assertError("a 1", .openmetrics, line: 1, "missing \"# EOF\": an OpenMetrics exposition ends with the line # EOF")
        assertError("", .openmetrics, line: 1, "missing \"# EOF\": an OpenMetrics exposition ends with the line # EOF")
        assertError("# EOF\n\n", .openmetrics, line: 2, "nothing may follow the # EOF line, found the end of the line")
        assertError("a 1\n# EOF\nb 2\n", .openmetrics, line: 3, "nothing may follow the # EOF line, found 'b'")
        assertError("# EOF \n", .openmetrics, line: 1, "unknown line starting with '#'; OpenMetrics has no comments, only # HELP, # TYPE, # UNIT and # EOF")
        assertError("# EOFX\n", .openmetrics, line: 1, "unknown line starting with '#'; OpenMetrics has no comments, only # HELP, # TYPE, # UNIT and # EOF")
    }

    func testOpenMetricsCounterSamplesEndInTotalOrCreated() {
        assertError("# TYPE a counter\na 1\n# EOF\n", .openmetrics, line: 2,
                    "sample a does not belong to the counter a: its samples are named a_total, a_created")
        assertError("# TYPE a counter\na_total 1\na 1\n# EOF\n", .openmetrics, line: 3,
                    "sample a does not belong to the counter a: its samples are named a_total, a_created")
        assertError("# TYPE a counter\na_total 1\nb 1\na_created 1\n# EOF\n", .openmetrics, line: 4,
                    "a_created was already used by an earlier metric family; a family's lines must be grouped together")
        assertError("# TYPE a_total counter\na_total 1\n# EOF\n", .openmetrics, line: 2,
                    "sample a_total does not belong to the counter a_total: its samples are named a_total_total, a_total_created")
    }

    func testOpenMetricsIsStrictAboutLayout() {
        let cases: [(String, Int, String)] = [
            ("a 1\n\n# EOF\n", 2, "empty line: OpenMetrics does not allow blank lines"),
            ("a  1\n# EOF\n", 1, "expected a sample value after the metric name a, found ' '"),
            ("a\t1\n# EOF\n", 1, "expected a space and a sample value after the metric name a, found a tab"),
            (" a 1\n# EOF\n", 1, "expected a metric name or a # line, found ' '"),
            ("a 1 \n# EOF\n", 1, "a space at the end of the line; OpenMetrics ends a line right after its last token"),
            ("a 1 2 \n# EOF\n", 1, "a space at the end of the line; OpenMetrics ends a line right after its last token"),
            ("a 1 2 x\n# EOF\n", 1, "expected an exemplar (\" # {\") after the timestamp, found 'x'"),
            ("a 1  2\n# EOF\n", 1, "expected the timestamp after one space, found ' '"),
            ("a{x=\"1\",} 1\n# EOF\n", 1, "expected a label name after ',', found '}'"),
            ("a{x=\"1\", y=\"2\"} 1\n# EOF\n", 1, "expected a label name after ',', found ' '"),
            ("a {x=\"1\"} 1\n# EOF\n", 1, "invalid sample value \"{x=\\\"1\\\"}\": expected a number such as 1, -2.5e3, +Inf, -Inf or NaN"),
            ("# a comment\n# EOF\n", 1, "unknown line starting with '#'; OpenMetrics has no comments, only # HELP, # TYPE, # UNIT and # EOF"),
            ("#\n# EOF\n", 1, "expected a space after '#', found the end of the line; OpenMetrics has no comments, only # HELP, # TYPE, # UNIT and # EOF"),
            ("# TYPE a untyped\n# EOF\n", 1, "unknown metric type \"untyped\" in # TYPE a; expected counter, gauge, histogram, gaugehistogram, stateset, info, summary or unknown"),
            ("# TYPE a  gauge\n# EOF\n", 1, "expected a metric type after # TYPE a, found ' '"),
            ("# TYPE a gauge \n# EOF\n", 1, "unexpected ' ' after the type in # TYPE a"),
            ("# TYPE a\n# EOF\n", 1, "expected a space and a metric type after the metric name a in # TYPE, found the end of the line"),
            ("# HELP\n# EOF\n", 1, "expected a space and a metric name after # HELP, found the end of the line"),
            ("# UNIT a_seconds milliseconds\n# EOF\n", 1, "unit \"milliseconds\" must be the suffix of the metric name a_seconds (name it a_seconds_milliseconds)"),
            ("# UNIT a_x x\n# UNIT a_x x\n# EOF\n", 2, "second # UNIT line for a_x; each family has at most one"),
            ("a 1 NaN\n# EOF\n", 1, "timestamp \"NaN\" is not a finite number of seconds"),
            ("a 1 -Inf\n# EOF\n", 1, "timestamp \"-Inf\" is not a finite number of seconds"),
            ("a 1 1e999\n# EOF\n", 1, "timestamp \"1e999\" is beyond the range of a 64-bit float"),
            ("a 1 soon\n# EOF\n", 1, "invalid timestamp \"soon\": expected seconds since the epoch, such as 1700000000.5"),
            ("a 1\r\n# EOF\n", 1, "invalid sample value \"1\\r\": expected a number such as 1, -2.5e3, +Inf, -Inf or NaN"),
        ]
        for (text, line, reason) in cases {
            assertError(text, .openmetrics, line: line, reason)
        }
    }

    func testErrorDescriptionNamesTheLine() {
        XCTAssertEqual(
            ExpositionParseError(line: 7, reason: "expected '=' after label name \"method\"").description,
            "line 7: expected '=' after label name \"method\"")
        do {
            _ = try ExpositionParser.parse("ok 1\n\n# TYPE x gauge\nx{method \"GET\"} 1\n".utf8, format: .prometheus)
            XCTFail("the fourth line is malformed")
        } catch {
            XCTAssertEqual(error.description, "line 4: expected '=' after label name \"method\", found '\"'")
        }
    }

    func testLongGarbageMakesAShortMessage() {
        let long = String(repeating: "z", count: 100_000)
        assertError("a " + long, .prometheus, line: 1,
                    "invalid sample value \"" + String(repeating: "z", count: 40) + "…\": expected a number such as 1, -2.5e3, +Inf, -Inf or NaN")
    }

    // MARK: Inputs and formats

    func testReadsAnyCollectionOfBytes() throws {
        let text = "a{x=\"1\"} 2\n"
        let expected = [ScrapedSample(name: "a", labels: ["x": "1"], value: 2)]
        XCTAssertEqual(try ExpositionParser.parse(text.utf8, format: .prometheus), expected)
        XCTAssertEqual(try ExpositionParser.parse(Array(("zz" + text).utf8).dropFirst(2), format: .prometheus), expected)
        XCTAssertEqual(try ExpositionParser.parse(Array(text.utf8).lazy.map { $0 }, format: .prometheus), expected)
    }

    func testFormatFromContentType() {
        let cases: [(String, ExpositionFormat?)] = [
            ("text/plain; version=0.0.4; charset=utf-8", .prometheus),
            ("text/plain", .prometheus),
            ("TEXT/Plain ;Version=\"0.0.4\"", .prometheus),
            ("application/openmetrics-text; version=1.0.0; charset=utf-8", .openmetrics),
            ("application/openmetrics-text; version=0.0.1", .openmetrics),
            (" application/openmetrics-text ", .openmetrics),
            ("text/plain; version=1.0.0", nil),
            ("application/openmetrics-text; version=2.0.0", nil),
            ("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited", nil),
            ("text/html", nil),
            ("", nil),
        ]
        for (header, format) in cases {
            XCTAssertEqual(ExpositionFormat(contentType: header), format, header)
        }
        for format in ExpositionFormat.allCases {
            XCTAssertEqual(ExpositionFormat(contentType: format.contentType), format)
        }
    }

    // MARK: Speed

    /// The scraper's budget: 10,000 series in at most 5 ms. Timing means something only in
    /// an optimised build (`swift test -c release`); a debug build checks the result alone.
    func testTenThousandSeriesWithinBudget() throws {
        let registry = Registry(clock: ManualClock(1_700_000_000))
        let requests = try registry.makeCounterFamily(name: "http_requests_total", help: "Requests.", labelNames: ["method", "path", "code"])
        for index in 0..<10_000 {
            try requests.labels(["GET", "POST", "PUT"][index % 3], "/api/v1/items/\(index / 3)", "\(200 + index % 5)").inc(by: Double(index) * 1.5)
        }
        for format in ExpositionFormat.allCases {
            let bytes = format.encode(registry.collect())
            var best = Duration.seconds(1_000)
            for _ in 0..<(isOptimized ? 20 : 1) {
                let start = ContinuousClock.now
                let samples = try ExpositionParser.parse(bytes, format: format)
                best = min(best, ContinuousClock.now - start)
                XCTAssertEqual(samples.count, 10_000)
                XCTAssertEqual(samples.last?.labels.count, 3)
            }
            if isOptimized {
                XCTAssertLessThanOrEqual(best, .milliseconds(5), "\(format): \(bytes.count) bytes in \(best)")
                print("ExpositionParserTests: 10,000 series in \(format), \(bytes.count) bytes, read in \(best) (best of 20)")
            }
        }
    }

    private var isOptimized: Bool {
        #if DEBUG
        false
        #else
        true
        #endif
    }

    // MARK: Helpers

    private func assertError(
        _ text: String, _ format: ExpositionFormat, line: Int, _ reason: String, file: StaticString = #filePath, lineNumber: UInt = #line
    ) {
        assertError(Array(text.utf8), format, line: line, reason, file: file, lineNumber: lineNumber)
    }

    private func assertError(
        _ bytes: [UInt8], _ format: ExpositionFormat, line: Int, _ reason: String, file: StaticString = #filePath, lineNumber: UInt = #line
    ) {
        let shown = String(decoding: bytes.prefix(80), as: UTF8.self).debugDescription
        do {
            let samples = try ExpositionParser.parse(bytes, format: format)
            XCTFail("\(shown) in \(format) read as \(samples) instead of failing", file: file, line: lineNumber)
        } catch {
            XCTAssertEqual(error.line, line, "line of \(shown) in \(format): \(error.reason)", file: file, line: lineNumber)
            XCTAssertEqual(error.reason, reason, "\(shown) in \(format)", file: file, line: lineNumber)
        }
    }
}
