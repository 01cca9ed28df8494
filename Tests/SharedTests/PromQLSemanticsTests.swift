import Foundation
import XCTest

@testable import PromQL
@testable import TimeSeries

/// What Prometheus 3 does differently from Prometheus 2, each pinned from the documented
/// semantics (the citation above each test), and checked in both modes. The Prometheus 2 side
/// of each is also what the differential test compares with the real 2.42.
final class PromQLSemanticsTests: XCTestCase {
    private func store(_ name: String, labels: [String: String] = [:], _ samples: [(seconds: Int64, value: Double)]) -> SeriesStore {
        let store = SeriesStore()
        for sample in samples { store.append(LabelSet(name: name, labels), timestamp: sample.seconds * 1000, value: sample.value) }
        return store
    }

    private func values(_ value: PromQLValue) -> [Double] {
        switch value {
        case .scalar(let number): [number]
        case .vector(let elements): elements.map(\.value)
        case .matrix(let series): series.flatMap { $0.samples.map(\.value) }
        case .string: []
        }
    }

    /// Prometheus 3.0 migration guide, "PromQL": "Range selectors and the lookback delta are now
    /// left-open, i.e. a sample coinciding with the lower time limit is excluded rather than included."
    func testARangeLeavesOutTheSampleAtItsStartInPrometheus3Only() throws {
        let data = store("x", [(0, 1), (60, 2), (120, 3)])
        let three = PromQLEngine(store: data), two = PromQLEngine(store: data, semantics: .prometheus2)
        XCTAssertEqual(values(try three.evaluate("count_over_time(x[2m])", at: 120_000)), [2])
        XCTAssertEqual(values(try two.evaluate("count_over_time(x[2m])", at: 120_000)), [3])
        XCTAssertEqual(values(try three.evaluate("x[2m]", at: 120_000)), [2, 3])
    }

    /// The same guide: the lookback delta is left-open too, so a sample exactly 5 minutes old is gone.
    func testASampleExactlyFiveMinutesOldIsGoneInPrometheus3Only() throws {
        let data = store("x", [(0, 7)])
        XCTAssertEqual(values(try PromQLEngine(store: data).evaluate("x", at: 300_000)), [])
        XCTAssertEqual(values(try PromQLEngine(store: data, semantics: .prometheus2).evaluate("x", at: 300_000)), [7])
        XCTAssertEqual(values(try PromQLEngine(store: data).evaluate("x", at: 299_999)), [7])
    }

    /// CHANGELOG 2.52.0 (#13725), kept in 3.x: rate/increase test the 1.1-interval threshold before
    /// stopping the extrapolation at the counter's zero point; up to 2.51 the zero point came first.
    /// Samples at 30, 50, 70, 90 s (values 1, 2, 3, 5) in a 90 s range: the 30 s gap to the start is
    /// over 1.1 × 20 s, so 3.x extrapolates half an interval (10 s) and the zero point (15 s) does
    /// not shorten it: 4 × 70/60. Up to 2.51 the zero point first cut the gap to 15 s, which then
    /// passed the threshold: 4 × 75/60.
    func testIncreaseTestsTheThresholdBeforeTheZeroPointAsSince252() throws {
        let data = store("c_total", [(30, 1), (50, 2), (70, 3), (90, 5)])
        let three = try PromQLEngine(store: data).evaluate("increase(c_total[90s])", at: 90_000)
        let two = try PromQLEngine(store: data, semantics: .prometheus2).evaluate("increase(c_total[90s])", at: 90_000)
        XCTAssertEqual(values(three)[0], 4.0 * 70 / 60, accuracy: 1e-12)
        XCTAssertEqual(values(two)[0], 4.0 * 75 / 60, accuracy: 1e-12)
    }

    /// CHANGELOG 3.0.0 (#14505): "regexp `.` now matches all characters", line feeds included.
    func testDotMatchesALineFeedInPrometheus3Only() throws {
        let data = store("x", labels: ["l": "a\nb"], [(0, 1)])
        XCTAssertEqual(values(try PromQLEngine(store: data).evaluate(#"x{l=~"a.b"}"#, at: 0)), [1])
        XCTAssertEqual(values(try PromQLEngine(store: data, semantics: .prometheus2).evaluate(#"x{l=~"a.b"}"#, at: 0)), [])
    }

    /// CHANGELOG 3.0.0 (#15111): "Float literals and time durations being the same is now a stable
    /// feature": `x[120]` is `x[2m]`, and `2m` where a number goes is 120.
    func testNumbersAndDurationsAreInterchangeableInPrometheus3() throws {
        let data = store("x", [(0, 1), (60, 2), (120, 3)])
        let three = PromQLEngine(store: data)
        XCTAssertEqual(values(try three.evaluate("count_over_time(x[120])", at: 120_000)), values(try three.evaluate("count_over_time(x[2m])", at: 120_000)))
        XCTAssertEqual(values(try three.evaluate("2m + 1", at: 0)), [121])
        XCTAssertThrowsError(try PromQLEngine(store: data, semantics: .prometheus2).evaluate("x[120]", at: 120_000))
    }

    /// CHANGELOG 3.0.0 (#14930): "holt_winters is now called double_exponential_smoothing".
    func testHoltWintersIsDoubleExponentialSmoothingInPrometheus3() throws {
        let data = store("g", [(0, 1), (60, 3), (120, 4), (180, 8)])
        let three = try PromQLEngine(store: data).evaluate("double_exponential_smoothing(g[5m], 0.5, 0.5)", at: 180_000)
        let two = try PromQLEngine(store: data, semantics: .prometheus2).evaluate("holt_winters(g[5m], 0.5, 0.5)", at: 180_000)
        XCTAssertEqual(values(three), values(two))
        XCTAssertThrowsError(try PromQLEngine(store: data).evaluate("holt_winters(g[5m], 0.5, 0.5)", at: 180_000)) {
            XCTAssertTrue("\($0)".contains("double_exponential_smoothing"), "\($0)")
        }
    }

    /// Subquery steps are aligned to multiples of the step, and (left-open, as ranges are) a step
    /// exactly at the subquery's start is not one of its points in Prometheus 3.
    func testASubqueryStepAtItsStartIsLeftOutInPrometheus3Only() throws {
        let data = store("x", [(0, 1), (60, 2), (120, 3), (180, 4)])
        XCTAssertEqual(values(try PromQLEngine(store: data).evaluate("x[2m:1m]", at: 180_000)), [3, 4])
        XCTAssertEqual(values(try PromQLEngine(store: data, semantics: .prometheus2).evaluate("x[2m:1m]", at: 180_000)), [2, 3, 4])
        XCTAssertEqual(values(try PromQLEngine(store: data).evaluate("x[150s:1m]", at: 180_000)), [2, 3, 4], "steps at 60, 120, 180: multiples of the step")
    }

    /// Prometheus 3.14's PromQL test data (operators.test) has `trigy atan2 trigx` as `{}`; at
    /// 2.42 it was `trigy{}`, as promtool 2.42 answers here.
    func testAtan2DropsTheMetricNameInPrometheus3Only() throws {
        let data = store("trigy", [(0, 10)])
        data.append(LabelSet(name: "trigx"), timestamp: 0, value: 20)
        guard case .vector(let three) = try PromQLEngine(store: data).evaluate("trigy atan2 trigx", at: 0),
              case .vector(let two) = try PromQLEngine(store: data, semantics: .prometheus2).evaluate("trigy atan2 trigx", at: 0) else {
            return XCTFail("expected vectors")
        }
        XCTAssertEqual(three.map(\.labels), [LabelSet([:])])
        XCTAssertEqual(two.map(\.labels), [LabelSet(name: "trigy")])
        XCTAssertEqual(three.first?.value ?? 0, atan2(10, 20), accuracy: 1e-15)
    }

    /// Prometheus 3.14's aggregators.test: the deviation of a group holding only NaN or an
    /// infinity is NaN; promtool 2.42 answers 0.
    func testTheDeviationOfALoneNaNOrInfinityIsNaNInPrometheus3Only() throws {
        for lone in [Double.nan, .infinity, -.infinity] {
            let data = store("s", labels: ["l": "a"], [(0, lone)])
            data.append(LabelSet(name: "s", ["l": "b"]), timestamp: 0, value: 2)
            for function in ["stddev", "stdvar"] {
                let three = values(try PromQLEngine(store: data).evaluate("\(function) by (l) (s)", at: 0))
                XCTAssertTrue(three[0].isNaN && three[1] == 0, "\(function) of \(lone): \(three)")
                XCTAssertEqual(values(try PromQLEngine(store: data, semantics: .prometheus2).evaluate("\(function) by (l) (s)", at: 0)), [0, 0])
            }
        }
    }

    /// CHANGELOG 3.9.0 (#17668): an ambiguous one-to-one match fails even where the comparison
    /// would have dropped both pairs; Prometheus 2 answered with nothing.
    func testAnAmbiguousMatchFailsBeforeTheComparisonFiltersInPrometheus3Only() throws {
        let data = store("many_side", labels: ["job": "test", "label": "foo"], [(0, 0)])
        data.append(LabelSet(name: "many_side", ["job": "test", "label": "bar"]), timestamp: 0, value: 1)
        data.append(LabelSet(name: "one_side", ["job": "test"]), timestamp: 0, value: 1)
        XCTAssertThrowsError(try PromQLEngine(store: data).evaluate("many_side > on(job) one_side", at: 0)) {
            XCTAssertTrue("\($0)".contains("multiple matches for labels"), "\($0)")
        }
        XCTAssertEqual(values(try PromQLEngine(store: data, semantics: .prometheus2).evaluate("many_side > on(job) one_side", at: 0)), [])
        // With a match that is not ambiguous, both filter alike.
        XCTAssertEqual(values(try PromQLEngine(store: data).evaluate("many_side > on(job, label) one_side", at: 0)), [])
    }

    /// CHANGELOG 3.0.0 (#15111), numbers and durations interchangeable: `@ 100s` is `@ 100`.
    func testADurationAfterAtIsSecondsInPrometheus3Only() throws {
        let data = store("x", [(40, 1), (100, 2)])
        XCTAssertEqual(values(try PromQLEngine(store: data).evaluate("x @ 100s", at: 0)), [2])
        XCTAssertEqual(values(try PromQLEngine(store: data).evaluate("x @ 1m", at: 0)), [1])
        XCTAssertThrowsError(try PromQLEngine(store: data, semantics: .prometheus2).evaluate("x @ 100s", at: 0))
    }

    /// `topk` and `bottomk` answer largest (smallest) first, and that order is the answer, as
    /// with `sort_desc`; other queries come sorted by labels.
    func testTopkAnswersInValueOrder() throws {
        let data = store("m", labels: ["i": "a"], [(0, 2)])
        data.append(LabelSet(name: "m", ["i": "b"]), timestamp: 0, value: 3)
        data.append(LabelSet(name: "m", ["i": "c"]), timestamp: 0, value: 1)
        for semantics in PromQLSemantics.allCases {
            let engine = PromQLEngine(store: data, semantics: semantics)
            XCTAssertEqual(values(try engine.evaluate("topk(2, m)", at: 0)), [3, 2])
            XCTAssertEqual(values(try engine.evaluate("bottomk(3, m)", at: 0)), [1, 2, 3])
            XCTAssertEqual(values(try engine.evaluate("(topk(3, m))", at: 0)), [3, 2, 1])
            XCTAssertEqual(values(try engine.evaluate("m", at: 0)), [2, 3, 1])
        }
    }
}

/// The parser's reach: keywords in any case, clear refusals, and no query that can crash it.
final class PromQLParserReachTests: XCTestCase {
    func testKeywordsAreCaseInsensitiveAndFunctionNamesAreNot() throws {
        for query in ["SUM BY (job) (x)", "sum(x) BY (job)", "x AND y", "x Or y", "x UNLESS on(a) y", "x + IGNORING(a) GROUP_LEFT(b) y",
                      "x > BOOL 1", "x OFFSET 5m", "TopK(2, x)", "count_VALUES(\"v\", x)", "x ATAN2 y", "inf + NaN"] {
            XCTAssertNoThrow(try PromQLParser.parse(query), query)
        }
        XCTAssertThrowsError(try PromQLParser.parse("RATE(x[5m])")) { XCTAssertTrue("\($0)".contains("unknown function with name \"RATE\""), "\($0)") }
    }

    func testEveryOperatorAndModifierParses() throws {
        for query in ["x ^ 2 % 3", "-x ^ 2", "x[5m:]", "x[5m:1m] offset 1m @ 100", "x @ start()", "x @ end() offset -1m",
                      "rate(x[5m])[30m:1m]", "quantile(0.5, x)", "count_values(\"value\", x)", "label_join(x, \"d\", \",\", \"a\", \"b\")",
                      "x # trailing comment", "{__name__=\"x\"}", "{\"my.metric\", \"label.name\"=\"v\"}", "sum by (\"label.name\") (x)"] {
            XCTAssertNoThrow(try PromQLParser.parse(query), query)
        }
        XCTAssertEqual(PromQLParser.type(of: try PromQLParser.parse("-2 ^ 2")), .scalar)
        guard case .number(let value) = try PromQLParser.parse("-2 ^ 2") else {
            if case .negation = try PromQLParser.parse("-2 ^ 2") { return }
            return XCTFail("-2 ^ 2 is a negation of 2 ^ 2")
        }
        XCTAssertNotEqual(value, 4)
    }

    func testUnsupportedConstructsSaySoByName() {
        for (query, phrase) in [("histogram_count(x)", "native histograms are not supported"),
                                ("mad_over_time(x[5m])", "mad_over_time is an experimental Prometheus function"),
                                ("limitk(2, x)", "limitk is an experimental Prometheus aggregation")] {
            XCTAssertThrowsError(try PromQLParser.parse(query), query) { XCTAssertTrue("\($0)".contains(phrase), "\(query): \($0)") }
        }
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let limit = PromQLParser.maximumNesting
        XCTAssertNoThrow(try PromQLParser.parse(String(repeating: "(", count: limit - 1) + "x" + String(repeating: ")", count: limit - 1)))
        for depth in [limit + 1, 2_000, 100_000] {
            for (open, close) in [("(", ")"), ("abs(", ")"), ("-", ""), ("sum(", ")")] {
                let query = String(repeating: open, count: depth) + "x" + String(repeating: close, count: depth)
                XCTAssertThrowsError(try PromQLParser.parse(query), "\(open) × \(depth)") {
                    XCTAssertTrue("\($0)".contains("nested more than \(limit) levels"), "\($0)")
                }
            }
        }
    }

    func testOutOfRangeDurationsOffsetsAndTimesAreErrors() {
        for query in ["rate(x[9223372036854775808ms])", "x[106751991167d106751991167d]", "x offset -9223372036854775807ms",
                      "x[10001y]", "x @ 1e300", "x @ 9.3e15", "x[1e300]", "x offset 1e30", "x[5m5m]", "x[1m1h]"] {
            XCTAssertThrowsError(try PromQLParser.parse(query), query)
        }
        let engine = PromQLEngine(store: SeriesStore())
        XCTAssertThrowsError(try engine.evaluate("x", at: Int64.max))
        XCTAssertThrowsError(try engine.evaluateRange("x", start: 0, end: 1_000_000_000, step: 1))
        XCTAssertThrowsError(try engine.evaluateRange("x[5m]", start: 0, end: 60_000, step: 1_000))
    }

    func testASyntaxErrorNamesItsPosition() {
        XCTAssertThrowsError(try PromQLParser.parse("sum(rate(x[5m])")) {
            XCTAssertEqual(($0 as? PromQLError)?.position, 15)
        }
        XCTAssertThrowsError(try PromQLParser.parse("x ^ @")) { XCTAssertEqual(($0 as? PromQLError)?.position, 4) }
    }

    /// Subqueries that would evaluate a billion steps are refused by the sample budget, quickly.
    func testAnEnormousSubqueryIsRefusedNotRun() {
        let data = SeriesStore()
        data.append(LabelSet(name: "x", [:]), timestamp: 0, value: 1)
        var engine = PromQLEngine(store: data)
        engine.maximumSamples = 100_000
        let started = Date()
        XCTAssertThrowsError(try engine.evaluate("max_over_time(x[1000d:1ms])", at: 0)) {
            XCTAssertTrue("\($0)".contains("too many samples"), "\($0)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
    }
}
