import Foundation
import Instrumentation
import Scraping
import TestSupport
import XCTest

/// The OpenMetrics rules the parser enforces beyond the grammar, one small exposition per
/// rule and side: each invalid case must fail on the line and for the rule it names, each
/// valid case must read, and Python's prometheus_client must agree on every one.
final class OpenMetricsValidationTests: XCTestCase {
    /// One exposition of the corpus.
    struct Case {
        /// A short name for failure messages.
        let name: String
        /// The exposition without its final `# EOF` line, which every case gets.
        let lines: [String]
        /// For an invalid case, the line the error must name and a phrase of its reason; nil
        /// for a valid case.
        let error: (line: Int, rule: String)?

        /// The whole exposition.
        var text: String { (lines + ["# EOF"]).joined(separator: "\n") + "\n" }

        /// A case that must read.
        static func valid(_ name: String, _ lines: [String]) -> Case {
            Case(name: name, lines: lines, error: nil)
        }

        /// A case that must fail on `line` with a reason containing `rule`.
        static func invalid(_ name: String, line: Int, _ rule: String, _ lines: [String]) -> Case {
            Case(name: name, lines: lines, error: (line, rule))
        }
    }

    /// A histogram `h` with one series, buckets 1 and +Inf, for cases that vary one line of it.
    private static func histogram(bucket1: String = "1", bucketInf: String = "3", count: String = "3", sum: String = "2.5") -> [String] {
        ["# TYPE h histogram", "h_bucket{le=\"1\"} \(bucket1)", "h_bucket{le=\"+Inf\"} \(bucketInf)", "h_count \(count)", "h_sum \(sum)"]
    }

    static let counterValues: [Case] = [
        .valid("counter total whole, fractional and zero", ["# TYPE c counter", "c_total{a=\"1\"} 0", "c_total{a=\"2\"} 1.5", "c_total{a=\"3\"} 1e3"]),
        .valid("counter created may be any number", ["# TYPE c counter", "c_total 1", "c_created 1700000000.25"]),
        .invalid("counter total NaN", line: 2, "_total is never NaN or negative", ["# TYPE c counter", "c_total NaN"]),
        .invalid("counter total negative", line: 2, "_total is never NaN or negative", ["# TYPE c counter", "c_total -1"]),
        .invalid("counter total minus infinity", line: 2, "_total is never NaN or negative", ["# TYPE c counter", "c_total -Inf"]),
        .valid("histogram counts written as floats", histogram(bucket1: "1.0", bucketInf: "3.0", count: "3.0")),
        .invalid("histogram bucket fractional", line: 2, "a bucket's count is a whole number", histogram(bucket1: "1.5")),
        .invalid("histogram bucket NaN", line: 2, "a bucket's count is a whole number", histogram(bucket1: "NaN")),
        .invalid("histogram bucket negative", line: 2, "a bucket's count is a whole number", histogram(bucket1: "-1")),
        .invalid("histogram bucket infinite", line: 3, "a bucket's count is a whole number", histogram(bucketInf: "+Inf")),
        .invalid("histogram count fractional", line: 4, "_count is a whole number", histogram(count: "3.5")),
        .invalid("histogram count NaN", line: 4, "_count is a whole number", histogram(count: "NaN")),
        .invalid("histogram count negative", line: 4, "_count is a whole number", histogram(count: "-3")),
        .invalid("histogram sum NaN", line: 5, "_sum is never NaN or negative", histogram(sum: "NaN")),
        .invalid("histogram sum negative", line: 5, "_sum is never NaN or negative", histogram(sum: "-0.5")),
        .valid("summary sum and count", ["# TYPE s summary", "s_sum 0.5", "s_count 3"]),
        .valid("summary quantile NaN without observations", ["# TYPE s summary", "s{quantile=\"0.5\"} NaN", "s_sum 0", "s_count 0"]),
        .invalid("summary count fractional", line: 3, "_count is a whole number", ["# TYPE s summary", "s_sum 1", "s_count 1.5"]),
        .invalid("summary count NaN", line: 3, "_count is a whole number", ["# TYPE s summary", "s_sum 1", "s_count NaN"]),
        .invalid("summary sum negative", line: 2, "_sum is never NaN or negative", ["# TYPE s summary", "s_sum -1", "s_count 1"]),
        .invalid("summary sum NaN", line: 2, "_sum is never NaN or negative", ["# TYPE s summary", "s_sum NaN", "s_count 1"]),
        .invalid("summary quantile negative", line: 2, "a quantile's value is never negative", ["# TYPE s summary", "s{quantile=\"0.5\"} -1"]),
        .invalid("summary quantile minus infinity", line: 2, "a quantile's value is never negative", ["# TYPE s summary", "s{quantile=\"0.9\"} -Inf"]),
        .valid("gauge histogram with a negative gsum and a negative bucket", [
            "# TYPE g gaugehistogram", "g_bucket{le=\"-1\"} 1", "g_bucket{le=\"+Inf\"} 2", "g_gcount 2", "g_gsum -3",
        ]),
        .invalid("gauge histogram gcount fractional", line: 3, "_gcount is a whole number", [
            "# TYPE g gaugehistogram", "g_bucket{le=\"+Inf\"} 2", "g_gcount 2.5", "g_gsum 1",
        ]),
        .invalid("gauge histogram gsum NaN", line: 4, "_gsum is never NaN", [
            "# TYPE g gaugehistogram", "g_bucket{le=\"+Inf\"} 2", "g_gcount 2", "g_gsum NaN",
        ]),
        .invalid("gauge histogram bucket negative", line: 2, "a bucket's count is a whole number", [
            "# TYPE g gaugehistogram", "g_bucket{le=\"+Inf\"} -2",
        ]),
        .valid("gauge and unknown take any value", ["# TYPE g gauge", "g -1.5", "u NaN", "v -Inf"]),
    ]

    static let histogramStructure: [Case] = [
        .valid("histogram with sum and count", histogram()),
        .valid("histogram of buckets alone", ["# TYPE h histogram", "h_bucket{le=\"0.5\"} 0", "h_bucket{le=\"+Inf\"} 4"]),
        .valid("histogram with created and non-canonical bounds", [
            "# TYPE h histogram", "h_bucket{le=\"1e-3\"} 1", "h_bucket{le=\"10\"} 2", "h_bucket{le=\"+Inf\"} 2",
            "h_count 2", "h_sum 0.5", "h_created 1700000000",
        ]),
        .valid("histogram series one after another", [
            "# TYPE h histogram", "h_bucket{p=\"a\",le=\"+Inf\"} 1", "h_count{p=\"a\"} 1", "h_sum{p=\"a\"} 1",
            "h_bucket{p=\"b\",le=\"+Inf\"} 2", "h_count{p=\"b\"} 2", "h_sum{p=\"b\"} 2",
        ]),
        .valid("histogram points at two timestamps", [
            "# TYPE h histogram", "h_bucket{le=\"+Inf\"} 1 10", "h_count 1 10", "h_sum 1 10",
            "h_bucket{le=\"+Inf\"} 2 20", "h_count 2 20", "h_sum 3 20",
        ]),
        .valid("histogram with a negative bound and no sum", ["# TYPE h histogram", "h_bucket{le=\"-5\"} 1", "h_bucket{le=\"+Inf\"} 2"]),
        .invalid("histogram without +Inf bucket", line: 3, "has no le=\"+Inf\" bucket", ["# TYPE h histogram", "h_bucket{le=\"1\"} 1", "h_bucket{le=\"2\"} 2"]),
        .invalid("histogram without +Inf bucket before the next family", line: 4, "has no le=\"+Inf\" bucket", [
            "# TYPE h histogram", "h_bucket{le=\"1\"} 1", "h_count 1", "h_sum 1", "# TYPE g gauge", "g 1",
        ]),
        .invalid("histogram of created alone", line: 2, "has no le=\"+Inf\" bucket", ["# TYPE h histogram", "h_created 1700000000"]),
        .invalid("histogram sum without count", line: 3, "has _sum without _count", ["# TYPE h histogram", "h_bucket{le=\"+Inf\"} 3", "h_sum 2"]),
        .invalid("histogram count without sum", line: 3, "has _count without _sum", ["# TYPE h histogram", "h_bucket{le=\"+Inf\"} 3", "h_count 3"]),
        .invalid("gauge histogram gsum without gcount", line: 3, "has _gsum without _gcount", [
            "# TYPE g gaugehistogram", "g_bucket{le=\"+Inf\"} 3", "g_gsum 2",
        ]),
        .invalid("gauge histogram gcount without gsum", line: 3, "has _gcount without _gsum", [
            "# TYPE g gaugehistogram", "g_bucket{le=\"+Inf\"} 3", "g_gcount 3",
        ]),
        .invalid("histogram buckets out of order", line: 3, "buckets go in increasing order of le", [
            "# TYPE h histogram", "h_bucket{le=\"2\"} 1", "h_bucket{le=\"1\"} 1", "h_bucket{le=\"+Inf\"} 1",
        ]),
        .invalid("histogram bucket bound repeated", line: 3, "buckets go in increasing order of le", [
            "# TYPE h histogram", "h_bucket{le=\"1\"} 1", "h_bucket{le=\"1.0\"} 1", "h_bucket{le=\"+Inf\"} 1",
        ]),
        .invalid("histogram buckets not cumulative", line: 3, "buckets are cumulative", [
            "# TYPE h histogram", "h_bucket{le=\"1\"} 5", "h_bucket{le=\"+Inf\"} 3",
        ]),
        .invalid("histogram count differs from the +Inf bucket", line: 5, "_count is 4.0 but the +Inf bucket counts 3.0", histogram(count: "4")),
        .invalid("histogram +Inf in capitals", line: 2, "must be written le=\"+Inf\"", ["# TYPE h histogram", "h_bucket{le=\"+INF\"} 1"]),
        .invalid("histogram Inf without sign", line: 2, "must be written le=\"+Inf\"", ["# TYPE h histogram", "h_bucket{le=\"Inf\"} 1"]),
        .invalid("histogram bound NaN", line: 2, "is not a bucket bound", ["# TYPE h histogram", "h_bucket{le=\"NaN\"} 1", "h_bucket{le=\"+Inf\"} 1"]),
        .invalid("histogram bound not a number", line: 2, "is not a bucket bound", ["# TYPE h histogram", "h_bucket{le=\"big\"} 1"]),
        .invalid("histogram negative bound with a sum", line: 5, "negative bucket bound, so it may not have a _sum", [
            "# TYPE h histogram", "h_bucket{le=\"-1\"} 1", "h_bucket{le=\"+Inf\"} 2", "h_count 2", "h_sum 1",
        ]),
        .invalid("gauge histogram negative gsum without a negative bound", line: 4, "negative _gsum but no negative bucket bound", [
            "# TYPE g gaugehistogram", "g_bucket{le=\"+Inf\"} 2", "g_gcount 2", "g_gsum -1",
        ]),
    ]

    static let typeLabels: [Case] = [
        .valid("summary quantiles 0 and 1", ["# TYPE s summary", "s{quantile=\"0\"} 1", "s{quantile=\"1\"} 9", "s_sum 10", "s_count 2"]),
        .invalid("summary sample without quantile", line: 2, "needs a quantile label", ["# TYPE s summary", "s 1"]),
        .invalid("summary quantile above 1", line: 2, "is not a quantile", ["# TYPE s summary", "s{quantile=\"1.5\"} 1"]),
        .invalid("summary quantile below 0", line: 2, "is not a quantile", ["# TYPE s summary", "s{quantile=\"-0.5\"} 1"]),
        .invalid("summary quantile NaN", line: 2, "is not a quantile", ["# TYPE s summary", "s{quantile=\"NaN\"} 1"]),
        .invalid("summary quantile not a number", line: 2, "is not a quantile", ["# TYPE s summary", "s{quantile=\"median\"} 1"]),
        .invalid("histogram bucket without le", line: 2, "needs an le label", ["# TYPE h histogram", "h_bucket 1"]),
        .invalid("histogram count with le", line: 3, "only a histogram's _bucket samples carry an le label", [
            "# TYPE h histogram", "h_bucket{le=\"+Inf\"} 1", "h_count{le=\"+Inf\"} 1", "h_sum 1",
        ]),
        .valid("stateset with an extra label", [
            "# TYPE st stateset", "st{host=\"a\",st=\"on\"} 1", "st{host=\"a\",st=\"off\"} 0",
            "st{host=\"b\",st=\"on\"} 0", "st{host=\"b\",st=\"off\"} 1.0",
        ]),
        .invalid("stateset sample without its state label", line: 2, "names its state in the label st", ["# TYPE st stateset", "st{state=\"on\"} 1"]),
        .invalid("stateset value 2", line: 2, "a state is 1 (true) or 0 (false)", ["# TYPE st stateset", "st{st=\"on\"} 2"]),
        .invalid("stateset value one half", line: 2, "a state is 1 (true) or 0 (false)", ["# TYPE st stateset", "st{st=\"on\"} 0.5"]),
        .invalid("stateset value NaN", line: 2, "a state is 1 (true) or 0 (false)", ["# TYPE st stateset", "st{st=\"on\"} NaN"]),
        .valid("info value 1", ["# TYPE i info", "i_info{version=\"1.2\"} 1", "i_info{version=\"1.3\"} 1.0"]),
        .invalid("info value 2", line: 2, "an info sample's value is always 1", ["# TYPE i info", "i_info{version=\"1.2\"} 2"]),
        .invalid("info value 0", line: 2, "an info sample's value is always 1", ["# TYPE i info", "i_info{version=\"1.2\"} 0"]),
    ]

    static let exemplars: [Case] = [
        .valid("exemplars on a counter total and on buckets", [
            "# TYPE c counter", "c_total 3 # {trace_id=\"a\"} 1", "c_created 1700000000",
            "# TYPE h histogram", "h_bucket{le=\"1\"} 1 # {trace_id=\"b\"} 0.5 1700000000.5", "h_bucket{le=\"+Inf\"} 2 # {} 7",
            "h_count 2", "h_sum 7.5",
            "# TYPE g gaugehistogram", "g_bucket{le=\"+Inf\"} 1 # {trace_id=\"c\"} 2", "g_gcount 1", "g_gsum 2",
        ]),
        .valid("exemplar labels of exactly 128 code points", ["# TYPE c counter", "c_total 1 # {a=\"" + String(repeating: "é", count: 127) + "\"} 1"]),
        .invalid("exemplar labels over 128 code points", line: 2, "129 code points long", [
            "# TYPE c counter", "c_total 1 # {ab=\"" + String(repeating: "é", count: 127) + "\"} 1",
        ]),
        .invalid("exemplar label name reserved", line: 2, "starts with \"__\"", ["# TYPE c counter", "c_total 1 # {__trace=\"a\"} 1"]),
        .invalid("exemplar on a gauge", line: 2, "an exemplar may follow only", ["# TYPE g gauge", "g 1 # {trace_id=\"a\"} 1"]),
        .invalid("exemplar on an unknown", line: 1, "an exemplar may follow only", ["u 1 # {trace_id=\"a\"} 1"]),
        .invalid("exemplar on an info", line: 2, "an exemplar may follow only", ["# TYPE i info", "i_info{v=\"1\"} 1 # {trace_id=\"a\"} 1"]),
        .invalid("exemplar on a stateset", line: 2, "an exemplar may follow only", ["# TYPE st stateset", "st{st=\"on\"} 1 # {trace_id=\"a\"} 1"]),
        .invalid("exemplar on a counter created", line: 3, "an exemplar may follow only", [
            "# TYPE c counter", "c_total 1", "c_created 1700000000 # {trace_id=\"a\"} 1",
        ]),
        .invalid("exemplar on a histogram sum", line: 4, "an exemplar may follow only", [
            "# TYPE h histogram", "h_bucket{le=\"+Inf\"} 1", "h_count 1", "h_sum 1 # {trace_id=\"a\"} 1",
        ]),
        .invalid("exemplar on a histogram count", line: 3, "an exemplar may follow only", [
            "# TYPE h histogram", "h_bucket{le=\"+Inf\"} 1", "h_count 1 # {trace_id=\"a\"} 1", "h_sum 1",
        ]),
        .invalid("exemplar on a summary quantile", line: 2, "an exemplar may follow only", [
            "# TYPE s summary", "s{quantile=\"0.5\"} 1 # {trace_id=\"a\"} 1",
        ]),
    ]

    static let series: [Case] = [
        .valid("series in order with increasing and repeated timestamps", [
            "# TYPE g gauge", "g{a=\"1\"} 1 10", "g{a=\"1\"} 2 10", "g{a=\"1\"} 3 20", "g{a=\"2\"} 1 5", "g{a=\"2\"} 2 6",
        ]),
        .valid("one series with its labels in either order", ["# TYPE g gauge", "g{a=\"1\",b=\"2\"} 1 10", "g{b=\"2\",a=\"1\"} 2 20"]),
        .valid("counter total and created with one timestamp", ["# TYPE c counter", "c_total 17 1700000100", "c_created 1600000000 1700000100"]),
        .valid("info series without order", ["# TYPE i info", "i_info{v=\"1\"} 1 20", "i_info{v=\"2\"} 1 10", "i_info{v=\"1\"} 1 30"]),
        .invalid("gauge series interleaved", line: 4, "comes back after another series", ["# TYPE g gauge", "g{a=\"1\"} 1", "g{a=\"2\"} 1", "g{a=\"1\"} 2"]),
        .invalid("gauge series interleaved with labels reordered", line: 4, "comes back after another series", [
            "# TYPE g gauge", "g{a=\"1\",b=\"x\"} 1", "g{a=\"2\",b=\"x\"} 1", "g{b=\"x\",a=\"1\"} 2",
        ]),
        .invalid("unknown series interleaved", line: 3, "comes back after another series", ["u{a=\"1\"} 1", "u 1", "u{a=\"1\"} 1"]),
        .invalid("counter created after another series", line: 4, "comes back after another series", [
            "# TYPE c counter", "c_total{a=\"1\"} 1", "c_total{a=\"2\"} 1", "c_created{a=\"1\"} 1700000000",
        ]),
        .invalid("histogram series interleaved", line: 6, "comes back after another series", [
            "# TYPE h histogram", "h_bucket{p=\"a\",le=\"+Inf\"} 1", "h_bucket{p=\"b\",le=\"+Inf\"} 1",
            "h_count{p=\"b\"} 1", "h_sum{p=\"b\"} 1", "h_count{p=\"a\"} 1", "h_sum{p=\"a\"} 1",
        ]),
        .invalid("summary series interleaved", line: 4, "comes back after another series", [
            "# TYPE s summary", "s{p=\"a\",quantile=\"0.5\"} 1", "s{p=\"b\",quantile=\"0.5\"} 1", "s{p=\"a\",quantile=\"0.9\"} 1",
        ]),
        .invalid("stateset series interleaved", line: 4, "comes back after another series", [
            "# TYPE st stateset", "st{h=\"a\",st=\"on\"} 1", "st{h=\"b\",st=\"on\"} 1", "st{h=\"a\",st=\"off\"} 0",
        ]),
        .invalid("timestamps going back", line: 3, "goes back from", ["# TYPE g gauge", "g 1 20", "g 2 10"]),
        .invalid("points of a summary interleaved", line: 4, "goes back from", [
            "# TYPE s summary", "s_count{a=\"b\"} 0 123", "s_count{a=\"b\"} 0 456", "s_sum{a=\"b\"} 0 123",
        ]),
        .invalid("a timestamp then none", line: 3, "either all have timestamps or none has", ["# TYPE g gauge", "g 1 10", "g 2"]),
        .invalid("no timestamp then one", line: 3, "either all have timestamps or none has", ["# TYPE g gauge", "g 1", "g 2 10"]),
        .invalid("counter created without the total's timestamp", line: 3, "either all have timestamps or none has", [
            "# TYPE c counter", "c_total 17 1700000100", "c_created 1600000000",
        ]),
    ]

    static let metadata: [Case] = [
        .valid("empty help and unit after their space", ["# TYPE a_seconds gauge", "# UNIT a_seconds ", "# HELP a_seconds ", "a_seconds 1"]),
        .valid("unit on a gauge", ["# TYPE a_seconds gauge", "# UNIT a_seconds seconds", "a_seconds 1"]),
        .valid("empty unit on an info and a stateset", ["# TYPE i info", "# UNIT i ", "i_info 1", "# TYPE st stateset", "# UNIT st ", "st{st=\"x\"} 1"]),
        .invalid("help without a space after the name", line: 1, "expected a space (then the text, which may be empty)", ["# HELP a", "a 1"]),
        .invalid("unit without a space after the name", line: 1, "expected a space (then the text, which may be empty)", ["# UNIT a", "a 1"]),
        .invalid("unit on an info", line: 2, "is an info, which has no unit", ["# TYPE i_bytes info", "# UNIT i_bytes bytes", "i_bytes_info 1"]),
        .invalid("unit on a stateset", line: 2, "is a stateset, which has no unit", ["# TYPE st_bytes stateset", "# UNIT st_bytes bytes"]),
        .invalid("unit before the info type", line: 2, "is an info, which has no unit", ["# UNIT i_bytes bytes", "# TYPE i_bytes info"]),
        .valid("label names with one underscore", ["a{_x=\"1\",b_=\"2\"} 1"]),
        .invalid("label name with two underscores", line: 1, "starts with \"__\"", ["a{__x=\"1\"} 1"]),
        .invalid("label name __name__", line: 1, "starts with \"__\"", ["a{__name__=\"b\"} 1"]),
    ]

    static let clashingNames: [Case] = [
        .valid("gauge a_created and counter b", ["# TYPE a_created gauge", "a_created 1", "# TYPE b counter", "b_total 1"]),
        .valid("counter a and gauge a_total_created", ["# TYPE a counter", "a_total 1", "# TYPE a_total_created gauge", "a_total_created 1"]),
        .invalid("gauge a_created then counter a", line: 3, "a_created was already used", ["# TYPE a_created gauge", "a_created 1", "# TYPE a counter"]),
        .invalid("unused gauge a_created then counter a", line: 2, "a_created was already used", ["# TYPE a_created gauge", "# TYPE a counter", "a_total 1"]),
        .invalid("counter a then gauge a_created", line: 3, "a_created was already used", ["# TYPE a counter", "a_total 1", "# TYPE a_created gauge"]),
        .invalid("unknown a_total then counter a", line: 2, "a_total was already used", ["a_total 1", "# TYPE a counter"]),
        .invalid("histogram a then gauge a_bucket", line: 3, "a_bucket was already used", ["# TYPE a histogram", "a_bucket{le=\"+Inf\"} 1", "# TYPE a_bucket gauge"]),
        .invalid("gauge a_count then summary a", line: 2, "a_count was already used", ["# TYPE a_count gauge", "# TYPE a summary"]),
        .invalid("gauge histogram a then gauge a_gsum", line: 2, "a_gsum was already used", ["# TYPE a gaugehistogram", "# TYPE a_gsum gauge"]),
        .invalid("info a then gauge a_info", line: 2, "a_info was already used", ["# TYPE a info", "# TYPE a_info gauge"]),
    ]

    /// Every case.
    static let corpus = counterValues + histogramStructure + typeLabels + exemplars + series + metadata + clashingNames

    func testTheCorpusCoversEveryRuleFromBothSides() {
        for group in [Self.counterValues, Self.histogramStructure, Self.typeLabels, Self.exemplars, Self.series, Self.metadata, Self.clashingNames] {
            XCTAssertTrue(group.contains { $0.error == nil }, "a group without valid cases: \(group[0].name)")
            XCTAssertTrue(group.contains { $0.error != nil }, "a group without invalid cases: \(group[0].name)")
        }
        XCTAssertEqual(Set(Self.corpus.map(\.name)).count, Self.corpus.count, "case names are unique")
    }

    /// Rules of the specification that Python's parser does not check, so outside the corpus.
    static let beyondPython: [Case] = [
        .invalid("metric name with two underscores", line: 1, "starts with \"__\"", ["__a 1"]),
        .invalid("family name with two underscores", line: 1, "starts with \"__\"", ["# TYPE __a gauge"]),
        .invalid("exemplar above its bucket's bound", line: 2, "above its bucket's bound le=\"1\"", [
            "# TYPE h histogram", "h_bucket{le=\"1\"} 1 # {} 2", "h_bucket{le=\"+Inf\"} 1",
        ]),
        .invalid("quantile label on a summary count", line: 2, "only a summary's quantile samples carry a quantile label", [
            "# TYPE s summary", "s_count{quantile=\"0.5\"} 1", "s_sum 1",
        ]),
        .invalid("bucket bound nan in lower case", line: 2, "is not a bucket bound", [
            "# TYPE h histogram", "h_bucket{le=\"nan\"} 1", "h_bucket{le=\"+Inf\"} 1",
        ]),
        .valid("exemplar at its bucket's bound", ["# TYPE h histogram", "h_bucket{le=\"1\"} 1 # {} 1", "h_bucket{le=\"+Inf\"} 1"]),
    ]

    func testEveryCaseReadsOrFailsOnItsLineForItsRule() {
        for test in Self.corpus + Self.beyondPython {
            do {
                _ = try ExpositionParser.parse(Array(test.text.utf8), format: .openmetrics)
                if let error = test.error { XCTFail("\(test.name): read, but should fail on line \(error.line): \(error.rule)") }
            } catch {
                guard let expected = test.error else {
                    XCTFail("\(test.name): should read, but failed: \(error)")
                    continue
                }
                XCTAssertEqual(error.line, expected.line, "\(test.name): \(error)")
                XCTAssertTrue(error.reason.contains(expected.rule), "\(test.name): \(error) does not say \(expected.rule)")
            }
        }
    }

    /// The rules are OpenMetrics rules: the 0.0.4 parser, like Prometheus, takes what it can
    /// read, so every case's samples still read there once the `# EOF` goes.
    func testThePrometheusFormatKeepsItsTolerance() throws {
        let tolerated = [
            "# TYPE c counter\nc_total NaN\n", "# TYPE h histogram\nh_bucket{le=\"2\"} 5\nh_bucket{le=\"1\"} 1\nh_count 9\n",
            "# TYPE s summary\ns 1\ns_count 1.5\n", "g{a=\"1\"} 1\ng{a=\"2\"} 1\ng{a=\"1\"} 2\n", "g 1 20\ng 2 10\ng 3\n",
            "# HELP a\na{__x=\"1\"} 1\n", "# TYPE a_created gauge\na_created 1\n# TYPE a counter\na 1\n",
        ]
        for text in tolerated {
            XCTAssertNoThrow(try ExpositionParser.parse(Array(text.utf8), format: .prometheus), text)
        }
    }

    func testPythonAgreesOnEveryCase() throws {
        let python = try RealTools.pythonWithPrometheusClient()
        let script = """
            import sys, json
            from prometheus_client.openmetrics.parser import text_string_to_metric_families
            for text in json.load(sys.stdin):
                try:
                    list(text_string_to_metric_families(text))
                    print("valid")
                except Exception as error:
                    print("invalid " + repr(error).replace("\\n", " "))
            """
        let input = String(decoding: try JSONSerialization.data(withJSONObject: Self.corpus.map(\.text)), as: UTF8.self)
        let result = try runProcess(python, ["-c", script], input: input)
        XCTAssertEqual(result.status, 0, result.stderr)
        let verdicts = result.stdout.split(separator: "\n")
        XCTAssertEqual(verdicts.count, Self.corpus.count, result.stderr)
        for (test, verdict) in zip(Self.corpus, verdicts) {
            let pythonAccepts = verdict == "valid"
            XCTAssertEqual(pythonAccepts, test.error == nil, "\(test.name): Python says \(verdict)")
        }
    }
}
