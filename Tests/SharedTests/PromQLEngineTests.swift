import XCTest

@testable import Platform
@testable import TimeSeries
@testable import PromQL

final class PromQLEngineTests: XCTestCase {
    private let minute: Int64 = 60_000

    private func store(_ series: [(LabelSet, [(Int64, Double)])]) -> SeriesStore {
        let store = SeriesStore()
        for (labels, samples) in series {
            for (time, value) in samples { store.append(labels, timestamp: time, value: value) }
        }
        return store
    }

    private func values(_ value: PromQLValue) -> [Double] {
        guard case .vector(let elements) = value else { return [] }
        return elements.map(\.value)
    }

    /// The published example: `0 1 2 3 2 3 4` scraped every 5 minutes increases by 7 over 30
    /// minutes, in Prometheus 2 with both window edges on samples (Prometheus 3: see PromQLSemanticsTests).
    func testIncreaseCountsTheResetAsARestartFromZero() throws {
        let counter = LabelSet(name: "x_total")
        let data = store([(counter, [0, 1, 2, 3, 2, 3, 4].enumerated().map { (Int64($0.offset) * 5 * minute, $0.element) })])
        let engine = PromQLEngine(store: data, semantics: .prometheus2)
        // Prometheus 3 leaves the 0 at the window's start out and extrapolates back to the zero point: 7 again.
        XCTAssertEqual(values(try PromQLEngine(store: data).evaluate("increase(x_total[30m])", at: 30 * minute))[0], 7, accuracy: 1e-12)
        XCTAssertEqual(values(try engine.evaluate("increase(x_total[30m])", at: 30 * minute)), [7])
        XCTAssertEqual(values(try engine.evaluate("rate(x_total[30m])", at: 30 * minute)), [7.0 / 1800])
        XCTAssertEqual(values(try engine.evaluate("delta(x_total[30m])", at: 30 * minute)), [4])
        XCTAssertEqual(values(try engine.evaluate("irate(x_total[30m])", at: 30 * minute)), [1.0 / 300])
    }

    /// The published example: buckets 0.1→50, 0.2→70, 1→110, +Inf→120.
    func testHistogramQuantileInterpolatesInsideTheBucket() throws {
        let buckets: [(String, Double)] = [("0.1", 50), ("0.2", 70), ("1", 110), ("+Inf", 120)]
        let engine = PromQLEngine(store: store(buckets.map { (LabelSet(name: "h_bucket", ["le": $0.0]), [(Int64(0), $0.1)]) }))
        for (quantile, expected) in [(0.2, 0.048), (0.5, 0.15), (0.8, 0.72)] {
            let found = values(try engine.evaluate("histogram_quantile(\(quantile), h_bucket)", at: 0))
            XCTAssertEqual(found.count, 1)
            XCTAssertEqual(found[0], expected, accuracy: 1e-12, "q\(quantile)")
        }
        // A rank in the +Inf bucket answers the highest finite bound; out-of-range quantiles answer ±Inf.
        XCTAssertEqual(values(try engine.evaluate("histogram_quantile(0.99, h_bucket)", at: 0)), [1])
        XCTAssertEqual(values(try engine.evaluate("histogram_quantile(2, h_bucket)", at: 0)), [.infinity])
        XCTAssertEqual(values(try engine.evaluate("histogram_quantile(-1, h_bucket)", at: 0)), [-.infinity])
    }

    func testHistogramQuantileWithoutAnInfBucketIsNaN() throws {
        let engine = PromQLEngine(store: store([(LabelSet(name: "h_bucket", ["le": "1"]), [(0, 5)])]))
        XCTAssertTrue(values(try engine.evaluate("histogram_quantile(0.5, h_bucket)", at: 0))[0].isNaN)
    }

    func testLookbackAndStaleness() throws {
        let series = LabelSet(name: "up", ["job": "a"])
        let store = store([(series, [(0, 1)])])
        let engine = PromQLEngine(store: store)
        XCTAssertEqual(values(try engine.evaluate("up", at: 5 * minute - 1)), [1], "a sample is found up to 5 minutes back")
        XCTAssertEqual(values(try engine.evaluate("up", at: 5 * minute)), [], "and not exactly 5 minutes: the lookback is left-open")
        store.markStale(series, timestamp: minute)
        XCTAssertEqual(values(try engine.evaluate("up", at: 2 * minute)), [], "a staleness marker ends the series at once")
        XCTAssertEqual(values(try engine.evaluate("up offset 90s", at: 2 * minute)), [1], "offset looks back before the marker")
    }

    func testAggregationKeepsOrDropsLabels() throws {
        let engine = PromQLEngine(store: store([
            (LabelSet(name: "r_total", ["code": "200", "instance": "a"]), [(0, 1)]),
            (LabelSet(name: "r_total", ["code": "500", "instance": "a"]), [(0, 2)]),
            (LabelSet(name: "r_total", ["code": "200", "instance": "b"]), [(0, 4)]),
        ]))
        guard case .vector(let byCode) = try engine.evaluate("sum by (code) (r_total)", at: 0) else { return XCTFail() }
        XCTAssertEqual(byCode, [VectorElement(labels: LabelSet(["code": "200"]), value: 5), VectorElement(labels: LabelSet(["code": "500"]), value: 2)])
        guard case .vector(let without) = try engine.evaluate("max without (code) (r_total)", at: 0) else { return XCTFail() }
        XCTAssertEqual(without, [VectorElement(labels: LabelSet(["instance": "a"]), value: 2), VectorElement(labels: LabelSet(["instance": "b"]), value: 4)])
        XCTAssertEqual(values(try engine.evaluate("count(r_total)", at: 0)), [3])
        // A running mean, as Prometheus keeps it, can differ from 7/3 in the last bit.
        XCTAssertEqual(values(try engine.evaluate("avg(r_total)", at: 0))[0], 7.0 / 3, accuracy: 1e-15)
    }

    func testBinaryOperatorsMatchOneToOne() throws {
        let engine = PromQLEngine(store: store([
            (LabelSet(name: "errors_total", ["instance": "a"]), [(0, 1)]),
            (LabelSet(name: "requests_total", ["instance": "a"]), [(0, 4)]),
            (LabelSet(name: "requests_total", ["instance": "b"]), [(0, 8)]),
        ]))
        guard case .vector(let ratio) = try engine.evaluate("errors_total / requests_total", at: 0) else { return XCTFail() }
        XCTAssertEqual(ratio, [VectorElement(labels: LabelSet(["instance": "a"]), value: 0.25)])
        guard case .vector(let filtered) = try engine.evaluate("requests_total > 5", at: 0) else { return XCTFail() }
        XCTAssertEqual(filtered, [VectorElement(labels: LabelSet(name: "requests_total", ["instance": "b"]), value: 8)], "a filter keeps the name")
        XCTAssertEqual(values(try engine.evaluate("requests_total > bool 5", at: 0)), [0, 1])
        XCTAssertEqual(try engine.evaluate("1 + 2 * 3 - 4 / 8", at: 0), .scalar(6.5))
        XCTAssertEqual(try engine.evaluate("2 > bool 1", at: 0), .scalar(1))
        XCTAssertThrowsError(try engine.evaluate("requests_total - on() requests_total", at: 0)) {
            XCTAssertTrue("\($0)".contains("many-to-many matching not allowed"), "\($0)")
        }
    }

    func testSetOperatorsPickSeriesByLabels() throws {
        let engine = PromQLEngine(store: store([
            (LabelSet(name: "up", ["instance": "a"]), [(0, 1)]),
            (LabelSet(name: "up", ["instance": "b"]), [(0, 0)]),
            (LabelSet(name: "load", ["instance": "a"]), [(0, 0.5)]),
            (LabelSet(name: "load", ["instance": "c"]), [(0, 2)]),
        ]))
        func instances(_ query: String) throws -> [String] {
            guard case .vector(let elements) = try engine.evaluate(query, at: 0) else { return [] }
            return elements.map { "\($0.labels.metricName)/\($0.labels["instance"])" }
        }
        XCTAssertEqual(try instances("load and up"), ["load/a"])
        XCTAssertEqual(try instances("load unless up"), ["load/c"])
        XCTAssertEqual(try instances("load or up"), ["load/a", "load/c", "up/b"])
        XCTAssertEqual(try instances("up == 1 or load > 1"), ["load/c", "up/a"], "or binds looser than the comparisons")
        XCTAssertEqual(try instances("load and on() up"), ["load/a", "load/c"], "on() matches everything with anything")
    }

    func testParseErrorsSayWhereAndWhat() {
        let cases: [(String, String)] = [
            ("rate(x[5m]", "parse error at character 11: expected \")\" to close the call to rate, found end of query"),
            ("sum(x", "parse error at character 6: expected \")\" to close the sum aggregation, found end of query"),
            ("x{a=\"b\"", "parse error at character 8: expected \",\" or \"}\" in the selector, found end of query"),
            ("rate(x)", "parse error at character 6: expected type range vector in call to function \"rate\", got instant vector; give it a range such as x[5m]"),
            ("foo(x)", "parse error at character 1: unknown function with name \"foo\""),
            ("x and 1", "parse error at character 3: set operator \"and\" not allowed in binary scalar expression"),
            ("{a=\"\"}", "parse error at character 1: vector selector must contain at least one non-empty matcher"),
            ("x[5q]", "parse error at character 3: bad duration unit \"q\" (use ms, s, m, h, d, w or y)"),
            ("x{a=~\"(\"}", "parse error at character 6: invalid regular expression \"(\": missing closing ): `(`"),
            ("x{a=~\"(?=a)\"}", "parse error at character 6: invalid regular expression \"(?=a)\": invalid or unsupported Perl syntax: `(?=`"),
            ("1 > 2", "parse error at character 3: comparisons between scalars must use BOOL modifier"),
            ("x / on(a) group_left(a) y", "parse error at character 11: label \"a\" must not occur in ON and GROUP clause at once"),
            ("x y", "parse error at character 3: unexpected \"y\" after a complete expression"),
            ("histogram_avg(x)", "parse error at character 1: native histograms are not supported by the workbook's PromQL (classic histograms are: divide the _sum series by the _count series)"),
        ]
        for (query, message) in cases {
            XCTAssertThrowsError(try PromQLParser.parse(query), query) { XCTAssertEqual("\($0)", message, query) }
        }
    }

    func testJSONIsShapedLikeThePrometheusAPI() throws {
        let engine = PromQLEngine(store: store([(LabelSet(name: "up", ["job": "a\"b"]), [(1_000, 1)])]))
        XCTAssertEqual(try engine.evaluate("up", at: 1_500).prometheusJSON(at: 1_500),
                       #"{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"a\"b"},"value":[1.5,"1"]}]}"#)
        XCTAssertEqual(try engine.evaluate("0.000001 * 3", at: 2_000).prometheusJSON(at: 2_000),
                       #"{"resultType":"scalar","result":[2,"0.000003"]}"#)
        XCTAssertEqual(jsonValue(1e21), "1000000000000000000000")
        XCTAssertEqual(jsonValue(-2.5e-7), "-0.00000025")
        XCTAssertEqual(jsonValue(.infinity), "+Inf")
        XCTAssertEqual(jsonValue(0.1), "0.1")
    }
}
