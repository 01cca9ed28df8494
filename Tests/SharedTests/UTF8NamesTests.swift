import TestSupport
import XCTest

@testable import HTTP
@testable import Instrumentation
@testable import Scraping

/// Prometheus 3's naming: quoted UTF-8 metric and label names read in both text formats,
/// the escaping schemes, the `escaping=` negotiation, and the merged exposition that writes
/// names quoted or escaped as the scraper asked.
final class UTF8NamesTests: XCTestCase {
    // MARK: Parsing quoted names

    /// Expositions with quoted names, each with the samples it must read as.
    private static let goodCases: [(text: String, format: ExpositionFormat, samples: [ScrapedSample])] = [
        (#"{"my.metric","label.name"="v"} 1"# + "\n", .prometheus,
         [ScrapedSample(name: "my.metric", labels: ["label.name": "v"], value: 1)]),
        (#"my_metric{"label.name"="v",code="200"} 2"# + "\n", .prometheus,
         [ScrapedSample(name: "my_metric", labels: ["label.name": "v", "code": "200"], value: 2)]),
        (#"{ "my.metric" , "label.name" = "v" , } 3"# + "\n", .prometheus,
         [ScrapedSample(name: "my.metric", labels: ["label.name": "v"], value: 3)]),
        (#"{"température","ville.nom"="Zürich"} 4"# + "\n" + #"{"température","ville.nom"="Genève"} 5"# + "\n", .prometheus,
         [ScrapedSample(name: "température", labels: ["ville.nom": "Zürich"], value: 4),
          ScrapedSample(name: "température", labels: ["ville.nom": "Genève"], value: 5)]),
        (#"{"say \"hi\"\\now","a\nb"="c"} 6"# + "\n", .prometheus,
         [ScrapedSample(name: "say \"hi\"\\now", labels: ["a\nb": "c"], value: 6)]),
        (#"{"up"} 7"# + "\n" + #"m{"a"="1"} 8"# + "\n" + #"m{a="2"} 9"# + "\n", .prometheus,
         [ScrapedSample(name: "up", value: 7), ScrapedSample(name: "m", labels: ["a": "1"], value: 8),
          ScrapedSample(name: "m", labels: ["a": "2"], value: 9)]),
        ("# HELP \"my.gauge\" A gauge.\n# TYPE \"my.gauge\" gauge\n{\"my.gauge\"} 10\n", .prometheus,
         [ScrapedSample(name: "my.gauge", value: 10)]),
        ("# TYPE \"my.counter\" counter\n{\"my.counter_total\",\"k.x\"=\"v\"} 11\n# EOF\n", .openmetrics,
         [ScrapedSample(name: "my.counter_total", labels: ["k.x": "v"], value: 11)]),
        ("# HELP \"req.dur\" Latency.\n# TYPE \"req.dur\" histogram\n"
            + "{\"req.dur_bucket\",\"http.route\"=\"/a\",le=\"1.0\"} 1\n{\"req.dur_bucket\",\"http.route\"=\"/a\",le=\"+Inf\"} 2\n"
            + "{\"req.dur_count\",\"http.route\"=\"/a\"} 2\n{\"req.dur_sum\",\"http.route\"=\"/a\"} 1.5\n# EOF\n", .openmetrics,
         [ScrapedSample(name: "req.dur_bucket", labels: ["http.route": "/a", "le": "1.0"], value: 1),
          ScrapedSample(name: "req.dur_bucket", labels: ["http.route": "/a", "le": "+Inf"], value: 2),
          ScrapedSample(name: "req.dur_count", labels: ["http.route": "/a"], value: 2),
          ScrapedSample(name: "req.dur_sum", labels: ["http.route": "/a"], value: 1.5)]),
        ("{\"my.gauge\",\"a.b\"=\"1\"} 12\n# EOF\n", .openmetrics,
         [ScrapedSample(name: "my.gauge", labels: ["a.b": "1"], value: 12)]),
    ]

    func testQuotedNamesReadInBothFormats() throws {
        for (text, format, expected) in Self.goodCases {
            XCTAssertEqual(try ExpositionParser.parse(Array(text.utf8), format: format), expected, "\(text.debugDescription) in \(format)")
        }
    }

    func testQuotedNamesInMetadataNameTheFamily() throws {
        let text = "# HELP \"my.gauge\" A gauge.\n# TYPE \"my.gauge\" gauge\n{\"my.gauge\",x=\"1\"} 1\n{\"my.gauge\",x=\"2\"} 2\n"
        let families = try ExpositionParser.parseFamilies(Array(text.utf8), format: .prometheus)
        XCTAssertEqual(families.map(\.name), ["my.gauge"])
        XCTAssertEqual(families.first?.type, .gauge)
        XCTAssertEqual(families.first?.help, "A gauge.")
        XCTAssertEqual(families.first?.samples.count, 2)
        // A quoted sample name is one of its family's names, here a counter's `_total`.
        let counter = "# TYPE \"my.counter\" counter\n# UNIT \"my.counter\" \n{\"my.counter_total\"} 1\n# EOF\n"
        let read = try ExpositionParser.parseFamilies(Array(counter.utf8), format: .openmetrics)
        XCTAssertEqual(read.map(\.name), ["my.counter"])
        XCTAssertEqual(read.first?.type, .counter)
        XCTAssertEqual(read.first?.samples.map(\.name), ["my.counter_total"])
    }

    func testQuotedLabelNamesInExemplars() throws {
        let text = "# TYPE c counter\nc_total 1 # {\"trace.id\"=\"abc\"} 0.5\n# EOF\n"
        let samples = try ExpositionParser.parse(Array(text.utf8), format: .openmetrics)
        XCTAssertEqual(samples.first?.exemplar?.labels, ["trace.id": "abc"])
    }

    func testMalformedQuotedNamesAreErrors() {
        let cases: [(text: [UInt8], format: ExpositionFormat, reason: String)] = [
            (Array("ok 1\n{\"my.metric} 1\n".utf8), .prometheus,
             "unterminated quoted metric name: a quoted name ends with '\"' on the same line"),
            (Array("m{\"a.b=\"1\"} 1\n".utf8), .prometheus,
             "expected '=' after label name \"a.b=\", found '1'"),
            (Array("m{\"a.b=1} 1\n".utf8), .prometheus,
             "unterminated quoted label name: a quoted name ends with '\"' on the same line"),
            (Array("# TYPE \"my.metric gauge\n".utf8), .prometheus,
             "unterminated quoted metric name: a quoted name ends with '\"' on the same line"),
            (Array("{\"\"} 1\n".utf8), .prometheus, "empty quoted metric name: a name has at least one character"),
            (Array("m{\"\"=\"v\"} 1\n".utf8), .prometheus, "empty quoted label name: a name has at least one character"),
            (Array("# TYPE \"\" gauge\n".utf8), .prometheus, "empty quoted metric name: a name has at least one character"),
            (Array("{\"".utf8) + [0xFF] + Array("\"} 1\n".utf8), .prometheus,
             "the quoted metric name \"\u{FFFD}\" is not valid UTF-8"),
            (Array("m{\"".utf8) + [0xC3] + Array("\"=\"v\"} 1\n".utf8), .prometheus,
             "the quoted label name \"\u{FFFD}\" is not valid UTF-8"),
            (Array("{\"a.b\",\"c.d\"} 1\n".utf8), .prometheus,
             "a second metric name, \"c.d\", in one sample; a quoted metric name comes first inside the braces "
                + "and only when there is no name before them"),
            (Array("my_metric{\"other.name\"} 1\n".utf8), .prometheus,
             "a second metric name, \"other.name\", in one sample; a quoted metric name comes first inside the braces "
                + "and only when there is no name before them"),
            (Array("my_metric{\"other.name\"} 1\n# EOF\n".utf8), .openmetrics,
             "a second metric name, \"other.name\", in one sample; a quoted metric name comes first inside the braces "
                + "and only when there is no name before them"),
            (Array("{\"a.b\"=\"1\"} 1\n".utf8), .prometheus,
             "\"a.b\" is a label name, and the sample has no metric name; a quoted metric name comes first inside the braces: "
                + "{\"name\",\"a.b\"=…}"),
            (Array("{a=\"1\"} 1\n".utf8), .prometheus,
             "expected a quoted metric name first inside the braces, found 'a'; a sample line starts with a metric name, "
                + "or with {\"name\" for a name outside [a-zA-Z_:][a-zA-Z0-9_:]*"),
            (Array("{\"a.b\" 1\n".utf8), .prometheus, "expected ',' or '}' after the quoted metric name \"a.b\", found '1'"),
            (Array("{\"a.b\",} 1\n# EOF\n".utf8), .openmetrics, "expected a label name after ',', found '}'"),
            (Array("{\"a.b\" } 1\n# EOF\n".utf8), .openmetrics, "expected ',' or '}' after the quoted metric name \"a.b\", found ' '"),
            (Array("m{\"__x\"=\"1\"} 1\n# EOF\n".utf8), .openmetrics,
             "label name \"__x\" starts with \"__\"; such names are reserved in OpenMetrics"),
            (Array("{\"__x\"} 1\n# EOF\n".utf8), .openmetrics, "metric name __x starts with \"__\"; such names are reserved in OpenMetrics"),
            (Array("m{\"a.b\"=\"1\",\"a.b\"=\"2\"} 1\n".utf8), .prometheus,
             "label \"a.b\" appears twice in one sample; each label name may appear once"),
        ]
        for (text, format, reason) in cases {
            let shown = String(decoding: text, as: UTF8.self).debugDescription
            XCTAssertThrowsError(try ExpositionParser.parse(text, format: format), "\(shown) in \(format)") { error in
                XCTAssertEqual((error as? ExpositionParseError)?.reason, reason, "\(shown) in \(format)")
            }
        }
        // The error names the line the bad name is on.
        XCTAssertThrowsError(try ExpositionParser.parse(Array("ok 1\n{\"\"} 1\n".utf8), format: .prometheus)) { error in
            XCTAssertEqual((error as? ExpositionParseError)?.line, 2)
        }
    }

    /// The 0.0.4 format allows a trailing comma after a quoted name, as after a label.
    func testTrailingCommaAfterAQuotedNameIsFineInTheTextFormat() throws {
        XCTAssertEqual(try ExpositionParser.parse(Array("{\"a.b\",} 1\n".utf8), format: .prometheus), [ScrapedSample(name: "a.b", value: 1)])
    }

    /// prometheus_client 0.26 reads quoted names too: it must read every good case as the parser does.
    ///
    /// Except one: its OpenMetrics parser refuses a quoted name with no `# TYPE` before it (it
    /// checks the name, already unquoted, as a bare one), which Prometheus's parser reads.
    func testPythonClientAgreesOnTheGoodCases() throws {
        let untyped = "{\"my.gauge\",\"a.b\"=\"1\"} 12\n# EOF\n"
        // Without Python this throws the skip, before any assertion can turn it into a failure.
        let refused = try ExpositionCheck.pythonSamples(untyped, openMetrics: true)
        XCTAssertNotEqual(refused.status, 0, "fixed upstream: compare it too")
        for (text, format, expected) in Self.goodCases where text != untyped {
            let python = try ExpositionCheck.pythonSamples(text, openMetrics: format == .openmetrics)
            XCTAssertEqual(python.status, 0, "\(text.debugDescription): \(python.error)")
            let ours = expected.map { sample in
                var labels = sample.labels
                if let le = labels["le"], let bound = Double(le) { labels["le"] = String(bound) }
                return ParsedSample(name: sample.name, labels: labels, value: sample.value)
            }
            XCTAssertEqual(python.samples, ours, text.debugDescription)
        }
    }

    // MARK: Escaping schemes

    func testEscapingSchemes() {
        let metricCases: [(NameEscaping, String, String)] = [
            (.underscores, "my.metric/with-slashes", "my_metric_with_slashes"),
            (.underscores, "1st.place", "_st_place"),
            (.underscores, "température", "temp_rature"),
            (.underscores, "a:b_c", "a:b_c"),
            (.dots, "my.dotted_name", "my_dot_dotted__name"),
            (.dots, "a-b", "a__b"),
            (.dots, "legacy_name", "legacy_name"),
            (.values, "my.metric", "U__my_2e_metric"),
            (.values, "a_b.c", "U__a__b_2e_c"),
            (.values, "é", "U___e9_"),
            (.values, "1a", "U___31_a"),
            (.values, "🎉", "U___1f389_"),
            (.values, "plain_name", "plain_name"),
            (.allowUTF8, "my.metric", "my.metric"),
        ]
        for (scheme, name, escaped) in metricCases {
            XCTAssertEqual(scheme.escapedMetricName(name), escaped, "\(scheme) \(name)")
        }
        // A label name may not hold ':', so there it is escaped too.
        XCTAssertEqual(NameEscaping.underscores.escapedLabelName("a:b"), "a_b")
        XCTAssertEqual(NameEscaping.underscores.escapedMetricName("a:b"), "a:b")
        XCTAssertEqual(NameEscaping.values.escapedLabelName("a:b"), "U__a_3a_b")
        XCTAssertEqual(NameEscaping.dots.escapedLabelName("http.route"), "http_dot_route")
        XCTAssertEqual(NameEscaping.allowUTF8.escapedLabelName("a:b"), "a:b")
        // Every escaped name is a legacy name.
        for scheme in [NameEscaping.underscores, .dots, .values] {
            for name in ["my.metric", "1x", "é/ü", "a:b", "-"] {
                XCTAssertTrue(NameEscaping.isLegacyMetricName(scheme.escapedMetricName(name)), "\(scheme) \(name)")
                XCTAssertTrue(NameEscaping.isLegacyLabelName(scheme.escapedLabelName(name)), "\(scheme) \(name)")
            }
        }
    }

    // MARK: Negotiation

    /// What Prometheus 3 sends by default.
    private static let prometheus3Accept =
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,"
        + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1"

    func testNegotiation() {
        let all = ExpositionFormat.allCases
        let cases: [(accept: String?, offered: [ExpositionFormat], format: ExpositionFormat, escaping: NameEscaping, contentType: String)] = [
            (nil, all, .prometheus, .underscores, "text/plain; version=0.0.4; charset=utf-8"),
            (HTTPScrapeSource.acceptHeader, all, .openmetrics, .underscores, "application/openmetrics-text; version=1.0.0; charset=utf-8"),
            (Self.prometheus3Accept, all, .openmetrics, .allowUTF8,
             "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8"),
            (Self.prometheus3Accept.replacingOccurrences(of: "allow-utf-8", with: "underscores"), all, .openmetrics, .underscores,
             "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores"),
            // Only text 0.0.4 offered: its range names no scheme, so underscores, said so.
            (Self.prometheus3Accept, [.prometheus], .prometheus, .underscores, "text/plain; version=0.0.4; charset=utf-8; escaping=underscores"),
            // The q-values choose the range, and the range the scheme.
            ("text/plain;version=0.0.4;escaping=dots;q=0.9,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5", all,
             .prometheus, .dots, "text/plain; version=0.0.4; charset=utf-8; escaping=dots"),
            ("text/plain;version=0.0.4;escaping=dots;q=0.4,application/openmetrics-text;version=1.0.0;escaping=values;q=0.5", all,
             .openmetrics, .values, "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=values"),
            ("application/openmetrics-text;escaping=bogus", all, .openmetrics, .underscores,
             "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores"),
            ("*/*;escaping=allow-utf-8", all, .prometheus, .allowUTF8, "text/plain; version=0.0.4; charset=utf-8; escaping=allow-utf-8"),
        ]
        for (accept, offered, format, escaping, contentType) in cases {
            let negotiation = MetricsEndpoint.negotiate(accept: accept, offering: offered)
            XCTAssertEqual(negotiation.format, format, accept ?? "no Accept")
            XCTAssertEqual(negotiation.escaping, escaping, accept ?? "no Accept")
            XCTAssertEqual(negotiation.contentType, contentType, accept ?? "no Accept")
            XCTAssertEqual(MetricsEndpoint.format(forAccept: accept, offering: offered), format, accept ?? "no Accept")
            XCTAssertEqual(ExpositionFormat(contentType: negotiation.contentType), format, "the scraper reads its own answer")
        }
    }

    func testTheEndpointAnnouncesTheSchemeOnlyToAScraperThatNegotiatesNames() throws {
        let registry = Registry()
        try registry.makeGauge(name: "queue_depth", help: "Queue.").set(3)
        let endpoint = MetricsEndpoint(registry: registry)
        let asked = endpoint.handle(HTTPRequest(path: "/metrics", headers: ["Accept": Self.prometheus3Accept]))
        XCTAssertEqual(asked?.headers["Content-Type"], "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8")
        // The registry's names are legacy names: the body is the same whatever the scheme.
        XCTAssertEqual(asked?.body, ExpositionFormat.openmetrics.encode(registry.collect()))
        let plain = endpoint.handle(HTTPRequest(path: "/metrics", headers: ["Accept": "text/plain;version=0.0.4;escaping=underscores"]))
        XCTAssertEqual(plain?.headers["Content-Type"], "text/plain; version=0.0.4; charset=utf-8; escaping=underscores")
        let curl = endpoint.handle(HTTPRequest(path: "/metrics"))
        XCTAssertEqual(curl?.headers["Content-Type"], "text/plain; version=0.0.4; charset=utf-8")
    }

    // MARK: Serving merged names

    private func utf8Sources(_ format: ExpositionFormat) throws -> [ExpositionMerger.Source] {
        let text = format == .openmetrics
            ? "# HELP \"my.requests\" Requests.\n# TYPE \"my.requests\" counter\n{\"my.requests_total\",\"http.route\"=\"/a\"} 3 # {\"trace.id\"=\"t1\"} 1\n"
                + "# TYPE plain gauge\nplain{\"k.v\"=\"x\"} 1\n# EOF\n"
            : "# HELP \"my.requests\" Requests.\n# TYPE \"my.requests\" counter\n{\"my.requests\",\"http.route\"=\"/a\"} 3\n"
                + "# TYPE plain gauge\nplain{\"k.v\"=\"x\"} 1\n"
        return [ExpositionMerger.Source(labels: ["lesson": "01-a"], families: try ExpositionParser.parseFamilies(Array(text.utf8), format: format))]
    }

    func testMergeWritesQuotedNamesForAScraperThatReadsThem() throws {
        let (bytes, conflicts) = ExpositionMerger.merge(try utf8Sources(.prometheus), format: .prometheus, escaping: .allowUTF8)
        XCTAssertEqual(conflicts, [])
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), """
            # HELP "my.requests" Requests.
            # TYPE "my.requests" counter
            {"my.requests","http.route"="/a",lesson="01-a"} 3
            # TYPE plain gauge
            plain{"k.v"="x",lesson="01-a"} 1

            """)
        let (open, _) = ExpositionMerger.merge(try utf8Sources(.openmetrics), format: .openmetrics, escaping: .allowUTF8)
        XCTAssertEqual(String(decoding: open, as: UTF8.self), """
            # HELP "my.requests" Requests.
            # TYPE "my.requests" counter
            {"my.requests_total","http.route"="/a",lesson="01-a"} 3.0 # {"trace.id"="t1"} 1.0
            # TYPE plain gauge
            plain{"k.v"="x",lesson="01-a"} 1.0
            # EOF

            """)
        // What it writes reads back to the same names.
        let read = try ExpositionParser.parse(open, format: .openmetrics)
        XCTAssertEqual(read.map(\.name), ["my.requests_total", "plain"])
        XCTAssertEqual(read.first?.labels, ["http.route": "/a", "lesson": "01-a"])
        XCTAssertEqual(read.first?.exemplar?.labels, ["trace.id": "t1"])
    }

    func testMergeEscapesNamesForEveryOtherScraper() throws {
        let (bytes, conflicts) = ExpositionMerger.merge(try utf8Sources(.prometheus), format: .prometheus)
        XCTAssertEqual(conflicts, [])
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), """
            # HELP my_requests Requests.
            # TYPE my_requests counter
            my_requests{http_route="/a",lesson="01-a"} 3
            # TYPE plain gauge
            plain{k_v="x",lesson="01-a"} 1

            """)
        let (open, _) = ExpositionMerger.merge(try utf8Sources(.openmetrics), format: .openmetrics, escaping: .values)
        let text = String(decoding: open, as: UTF8.self)
        XCTAssertTrue(text.contains("# TYPE U__my_2e_requests counter\n"), text)
        XCTAssertTrue(text.contains("U__my_2e_requests_total{U__http_2e_route=\"/a\",lesson=\"01-a\"} 3.0 # {U__trace_2e_id=\"t1\"} 1.0\n"), text)
        XCTAssertTrue(text.contains("plain{U__k_2e_v=\"x\",lesson=\"01-a\"} 1.0\n"), text)
        XCTAssertNoThrow(try ExpositionParser.parse(open, format: .openmetrics), text)
    }

    func testMergeLeavesOutASampleWhoseLabelNamesEscapeToOne() throws {
        let text = "m{\"a.b\"=\"1\",a_b=\"2\"} 1\nm{\"a.b\"=\"3\"} 2\n"
        let sources = [ExpositionMerger.Source(labels: [:], families: try ExpositionParser.parseFamilies(Array(text.utf8), format: .prometheus))]
        let (bytes, conflicts) = ExpositionMerger.merge(sources, format: .prometheus)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "# TYPE m untyped\nm{a_b=\"3\"} 2\n")
        XCTAssertEqual(conflicts, [#"a sample of m has label names that escape to one name (["a.b", "a_b"]); left out"#])
        // Quoted, the two names stay apart.
        let (quoted, none) = ExpositionMerger.merge(sources, format: .prometheus, escaping: .allowUTF8)
        XCTAssertEqual(none, [])
        XCTAssertTrue(String(decoding: quoted, as: UTF8.self).contains("m{\"a.b\"=\"1\",a_b=\"2\"} 1\n"))
    }
}
