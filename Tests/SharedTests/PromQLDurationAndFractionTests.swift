import Foundation
import XCTest

@testable import PromQL
@testable import TimeSeries

/// `histogram_fraction` over classic `_bucket` series (Prometheus 3.4, #16095) and duration
/// expressions (Prometheus 3.14, #19033), in both semantics modes. Each expected value is worked
/// out by hand from the documented rule, in the comment above its assertion.
final class PromQLDurationAndFractionTests: XCTestCase {
    private func values(_ value: PromQLValue) -> [Double] {
        switch value {
        case .scalar(let number): [number]
        case .vector(let elements): elements.map(\.value)
        case .matrix(let series): series.flatMap { $0.samples.map(\.value) }
        case .string: []
        }
    }

    private func labels(_ value: PromQLValue) -> [LabelSet] {
        guard case .vector(let elements) = value else { return [] }
        return elements.map(\.labels)
    }

    private func message(_ body: () throws -> PromQLValue) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    // MARK: histogram_fraction

    /// Buckets ≤0.1: 2, ≤0.5: 6, ≤1: 8, +Inf: 10 for job a; the same halved for job b; a
    /// duplicate bound spelled "1" and "1.0" (g); falling counts (m); negative bounds (n); no +Inf
    /// bucket (p); no observations (z); and an h_bucket series without `le`, which is no bucket.
    private func histograms() -> SeriesStore {
        let store = SeriesStore()
        func add(_ name: String, _ labels: [String: String], _ value: Double) {
            store.append(LabelSet(name: name, labels), timestamp: 0, value: value)
        }
        for (le, count) in [("0.1", 2.0), ("0.5", 6), ("1", 8), ("+Inf", 10)] {
            add("h_bucket", ["job": "a", "le": le], count)
            add("h_bucket", ["job": "b", "le": le], count / 2)
        }
        add("h_bucket", ["job": "x"], 100)
        for (le, count) in [("1", 3.0), ("1.0", 1), ("+Inf", 8)] { add("g_bucket", ["le": le], count) }
        for (le, count) in [("1", 6.0), ("2", 4), ("+Inf", 10)] { add("m_bucket", ["le": le], count) }
        for (le, count) in [("-1", 2.0), ("0", 5), ("+Inf", 5)] { add("n_bucket", ["le": le], count) }
        for (le, count) in [("1", 1.0), ("2", 2)] { add("p_bucket", ["le": le], count) }
        for le in ["1", "+Inf"] { add("z_bucket", ["le": le], 0) }
        return store
    }

    private func fraction(_ arguments: String, _ metric: String = #"h_bucket{job="a"}"#) throws -> [Double] {
        values(try PromQLEngine(store: histograms()).evaluate("histogram_fraction(\(arguments), \(metric))", at: 0))
    }

    /// Bounds on bucket boundaries count whole buckets: (0, 0.5] holds 6 of 10.
    func testAFractionBetweenBucketBoundariesCountsWholeBuckets() throws {
        XCTAssertEqual(try fraction("0, 0.5"), [0.6])
        XCTAssertEqual(try fraction("0.1, 1"), [0.6])
    }

    /// Inside a bucket observations count as evenly spread: 0.3 is halfway through (0.1, 0.5],
    /// so 2 + 4/2 = 4 lie below it; 0.75 halfway through (0.5, 1], so 6 + 2/2 = 7: (7 − 4)/10.
    func testABoundInsideABucketIsInterpolatedLinearly() throws {
        XCTAssertEqual(try fraction("0.3, 0.75")[0], 0.3, accuracy: 1e-12)
    }

    /// The lowest bucket starts at 0 when its bound is positive: 0.05 is halfway into (0, 0.1], 1 of 10.
    func testTheLowestPositiveBucketStartsAtZero() throws {
        XCTAssertEqual(try fraction("-Inf, 0.05")[0], 0.1, accuracy: 1e-12)
        XCTAssertEqual(try fraction("-5, 0.05")[0], 0.1, accuracy: 1e-12)
    }

    /// −Inf to +Inf is everything; a bound inside the +Inf bucket counts none of that bucket, so
    /// (2, +Inf) is the 2 observations above 1 and (1.5, 5) nothing.
    func testTheInfiniteBucketCountsOnlyWhenTheUpperBoundIsInfinite() throws {
        XCTAssertEqual(try fraction("-Inf, +Inf"), [1])
        XCTAssertEqual(try fraction("2, +Inf")[0], 0.2, accuracy: 1e-12)
        XCTAssertEqual(try fraction("1.5, 5"), [0])
    }

    /// Negative bounds: the lowest bucket reaches to −Inf, so a bound inside it counts all of it
    /// (2); −0.5 is halfway through (−1, 0], 2 + 3/2 = 3.5: (3.5 − 2)/5.
    func testNegativeBucketsStartAtMinusInfinity() throws {
        XCTAssertEqual(try fraction("-2, -0.5", "n_bucket")[0], 0.3, accuracy: 1e-12)
    }

    /// lower ≥ upper is 0; a NaN bound, a histogram without a +Inf bucket, or one with no
    /// observations is NaN.
    func testEmptyRangesAndUnusableInputs() throws {
        XCTAssertEqual(try fraction("0.5, 0.3"), [0])
        XCTAssertEqual(try fraction("0.5, 0.5"), [0])
        XCTAssertTrue(try fraction("NaN, 1")[0].isNaN)
        XCTAssertTrue(try fraction("0, NaN")[0].isNaN)
        XCTAssertTrue(try fraction("0, 1", "p_bucket")[0].isNaN)
        XCTAssertTrue(try fraction("0, 1", "z_bucket")[0].isNaN)
    }

    /// Two `le` spellings of one bound are one bucket (3 + 1 = 4 below 1), so 0.5 counts 2 of 8.
    func testBucketsWithTheSameBoundAreAddedUp() throws {
        XCTAssertEqual(try fraction("0, 0.5", "g_bucket"), [0.25])
    }

    /// Unlike histogram_quantile, Prometheus uses falling counts as they are: 1.5 is halfway
    /// through (1, 2], 6 + (4 − 6)/2 = 5 below it, 0.5 (a monotonic envelope would give 0.6).
    func testFallingCountsAreUsedAsTheyAre() throws {
        XCTAssertEqual(try fraction("0, 1.5", "m_bucket")[0], 0.5, accuracy: 1e-12)
    }

    /// One result per label set without `le`, without the metric name; a series without `le` is
    /// left out; any instant vector of buckets works, not only a selector.
    func testOneResultPerHistogramWithoutTheMetricName() throws {
        let engine = PromQLEngine(store: histograms())
        let result = try engine.evaluate("histogram_fraction(0, 0.5, h_bucket)", at: 0)
        XCTAssertEqual(labels(result), [LabelSet(["job": "a"]), LabelSet(["job": "b"])])
        XCTAssertEqual(values(result), [0.6, 0.6])
        XCTAssertEqual(values(try engine.evaluate(#"histogram_fraction(0, 0.3, h_bucket{job="a"} * 2)"#, at: 0))[0], 0.4, accuracy: 1e-12)
    }

    func testTheArgumentsAreCheckedAndPrometheus2RefusesIt() throws {
        let three = PromQLEngine(store: histograms()), two = PromQLEngine(store: histograms(), semantics: .prometheus2)
        XCTAssertTrue(message { try three.evaluate("histogram_fraction(0, h_bucket)", at: 0) }.contains("expected 3 argument(s)"))
        XCTAssertTrue(message { try three.evaluate("histogram_fraction(0, 1, h_bucket[5m])", at: 0) }.contains("expected type instant vector"))
        XCTAssertTrue(message { try two.evaluate("histogram_fraction(0, 1, h_bucket)", at: 0) }.contains("needs Prometheus 3.4 or later"))
        XCTAssertEqual(values(try two.evaluate(#"histogram_quantile(0.6, h_bucket{job="a"})"#, at: 0)), [0.5])
    }

    // MARK: Duration expressions

    /// x every 10 s from 0 to 600 s, its value the time in tens of seconds (x at 480 s is 48).
    private func series() -> SeriesStore {
        let store = SeriesStore()
        for step in 0...60 { store.append(LabelSet(name: "x", [:]), timestamp: Int64(step) * 10_000, value: Double(step)) }
        return store
    }

    private func count(_ range: String, at seconds: Int64 = 600) throws -> Double {
        try values(PromQLEngine(store: series()).evaluate("count_over_time(x[\(range)])", at: seconds * 1000))[0]
    }

    /// A range of r at 600 s holds the samples in (600 − r, 600]: 30 s → 3, 60 s → 6, 2 m → 12.
    func testArithmeticInARange() throws {
        XCTAssertEqual(try count("26s+4s"), 3)
        XCTAssertEqual(try count("1m*2"), 12)
        XCTAssertEqual(try count("(10+20)*2"), 6)
        XCTAssertEqual(try count("1h/60"), 6)
        XCTAssertEqual(try count("90s % 1m"), 3)
        XCTAssertEqual(try count("-30s+1m"), 3)
    }

    /// * before +: 1m − 30s·2 + 30s is 30 s (3), not 90 s; a sign binds looser than ^: −2^2 + 34
    /// is 30 s (3), not 38 s (4); ^ groups to the right: 4^3^0.5 is 4^1.73 ≈ 11 s (2), not 8 s (1).
    func testDurationOperatorsHaveTheUsualPrecedence() throws {
        XCTAssertEqual(try count("1m - 30s * 2 + 30s"), 3)
        XCTAssertEqual(try count("-2^2+34"), 3)
        XCTAssertEqual(try count("4^3^0.5"), 2)
    }

    /// A subquery's range and step: 2 m at a 30 s step is 510, 540, 570, 600 (4 points); 30 s at
    /// 10 s is 580, 590, 600, summing 58 + 59 + 60.
    func testArithmeticInASubquery() throws {
        let engine = PromQLEngine(store: series())
        XCTAssertEqual(values(try engine.evaluate("count_over_time(x[1m+1m:(10s+20s)])", at: 600_000)), [4])
        XCTAssertEqual(values(try engine.evaluate("sum_over_time(x[30s:5s*2])", at: 600_000)), [177])
    }

    /// In parentheses the whole expression is the offset; without, the offset is the first value
    /// and the rest applies to the result: (x offset 1m) · 2 = 54 · 2, and at 300 s
    /// (x offset −1m) · 2 = 36 · 2 while x offset (−1m · 2) is x at 420 s.
    func testAnOffsetTakesAParenthesisedExpression() throws {
        let engine = PromQLEngine(store: series())
        XCTAssertEqual(values(try engine.evaluate("x offset (1m*2)", at: 600_000)), [48])
        XCTAssertEqual(values(try engine.evaluate("x offset 1m * 2", at: 600_000)), [108])
        XCTAssertEqual(values(try engine.evaluate("x offset -1m * 2", at: 300_000)), [72])
        XCTAssertEqual(values(try engine.evaluate("x offset (-1m * 2)", at: 300_000)), [42])
        XCTAssertEqual(values(try engine.evaluate("x offset -(30s + 30s)", at: 300_000)), [36])
        // An unsigned parenthesis goes on (Prometheus's grammar shifts the +): offset 90 s, x at 510 s.
        XCTAssertEqual(values(try engine.evaluate("x offset (1m) + 30s", at: 600_000)), [51])
        XCTAssertEqual(values(try engine.evaluate("x offset -(1m) + 30", at: 300_000)), [66])
    }

    /// step() and range() are the range query's step (60 s) and end − start (300 s): 6, 7, 30 and
    /// 3 samples per window; the offset step() reads each value a minute earlier.
    func testStepAndRangeFollowTheRangeQuery() throws {
        let engine = PromQLEngine(store: series())
        func run(_ query: String) throws -> [Double] {
            values(try engine.evaluateRange(query, start: 300_000, end: 600_000, step: 60_000))
        }
        XCTAssertEqual(try run("count_over_time(x[step()])"), [6, 6, 6, 6, 6, 6])
        XCTAssertEqual(try run("count_over_time(x[step()+10s])"), [7, 7, 7, 7, 7, 7])
        XCTAssertEqual(try run("count_over_time(x[range()])"), [30, 30, 30, 30, 30, 30])
        XCTAssertEqual(try run("count_over_time(x[min_of(step(), 30s)])"), [3, 3, 3, 3, 3, 3])
        XCTAssertEqual(try run("count_over_time(x[MAX_OF(Step(), 2m)])"), [12, 12, 12, 12, 12, 12])
        XCTAssertEqual(try run("x offset step()"), [24, 30, 36, 42, 48, 54])
        XCTAssertEqual(try run("count_over_time(x[1m:step()/2])"), [2, 2, 2, 2, 2, 2])
    }

    /// An instant query has no step and no range: both are 0, which an offset accepts and a
    /// range refuses.
    func testStepAndRangeAreZeroInAnInstantQuery() throws {
        let engine = PromQLEngine(store: series())
        XCTAssertEqual(values(try engine.evaluate("x offset step()", at: 600_000)), [60])
        XCTAssertEqual(values(try engine.evaluate("x offset range()", at: 600_000)), [60])
        XCTAssertTrue(message { try engine.evaluate("count_over_time(x[step()])", at: 600_000) }.contains("duration must be greater than 0"))
    }

    func testBadDurationExpressionsAreRefused() throws {
        let engine = PromQLEngine(store: series())
        func refusal(_ query: String) -> String { message { try engine.evaluate(query, at: 600_000) } }
        XCTAssertTrue(refusal("count_over_time(x[5m-5m])").contains("duration must be greater than 0"))
        XCTAssertTrue(refusal("count_over_time(x[1m-2m])").contains("duration must be greater than 0"))
        XCTAssertTrue(refusal("count_over_time(x[1m:30s-30s])").contains("duration must be greater than 0"))
        XCTAssertTrue(refusal("count_over_time(x[1m/0])").contains("division by zero"))
        XCTAssertTrue(refusal("count_over_time(x[1m/(1-1)])").contains("division by zero"))
        XCTAssertTrue(refusal("count_over_time(x[1m%0])").contains("modulo by zero"))
        XCTAssertTrue(refusal("count_over_time(x[1m+])").contains("in the duration expression"))
        XCTAssertTrue(refusal("count_over_time(x[step])").contains("after step"))
        XCTAssertTrue(refusal("count_over_time(x[1m > 2])").contains("expected \"]\""))
        XCTAssertTrue(refusal("x offset 1m offset (1m+1m)").contains("offset may not be set multiple times"))
        XCTAssertTrue(refusal("count_over_time(x offset (1m*2) [5m])").contains("ranges only allowed for vector selectors"))
    }

    /// Prometheus 2 takes one duration literal: arithmetic is refused with a clear message, while
    /// `x offset 1m + 1` is still (x offset 1m) + 1.
    func testPrometheus2RefusesDurationExpressions() throws {
        let two = PromQLEngine(store: series(), semantics: .prometheus2)
        for query in ["count_over_time(x[1m+1m])", "count_over_time(x[(1m)])", "count_over_time(x[step()])",
                      "count_over_time(x[5m:(1m)])", "x offset (1m*2)", "x offset step()"] {
            XCTAssertTrue(message { try two.evaluate(query, at: 600_000) }.contains("need Prometheus 3.14 or later"), query)
        }
        XCTAssertEqual(values(try two.evaluate("count_over_time(x[1m])", at: 600_000)), [7])
        XCTAssertEqual(values(try two.evaluate("x offset 1m + 1", at: 600_000)), [55])
    }
}
