import XCTest

@testable import Instrumentation

final class HistogramTests: XCTestCase {
    func testUpperBoundsAreInclusiveAndBucketsCumulative() throws {
        let histogram = try Registry().makeHistogram(name: "latency_seconds", help: "Latency.", buckets: [0.1, 0.5, 1])
        for value in [0.1, 0.05, 0.5, 0.50001, 1, 7, -3] { histogram.observe(value) }
        let snapshot = histogram.snapshot
        // le="0.1" holds 0.1 itself, 0.05 and -3; le="0.5" adds 0.5; le="1" adds 0.50001 and 1; +Inf adds 7.
        XCTAssertEqual(snapshot.cumulativeCounts, [3, 4, 6, 7])
        XCTAssertEqual(snapshot.count, 7)
        XCTAssertEqual(snapshot.sum, 0.1 + 0.05 + 0.5 + 0.50001 + 1 + 7 - 3, accuracy: 1e-12)
    }

    func testNaNLandsInTheInfBucket() throws {
        let histogram = try Registry().makeHistogram(name: "odd_seconds", help: "Odd.", buckets: [1])
        histogram.observe(.nan)
        XCTAssertEqual(histogram.snapshot.cumulativeCounts, [0, 1])
        XCTAssertTrue(histogram.snapshot.sum.isNaN)
    }

    func testManyBucketsUseTheSameRule() throws {
        let bounds = (1...100).map(Double.init)
        let histogram = try Registry().makeHistogram(name: "wide", help: "Wide.", buckets: bounds)
        for value in [0.5, 1, 1.5, 50, 99.9, 100, 100.1] { histogram.observe(value) }
        let counts = histogram.snapshot.cumulativeCounts
        XCTAssertEqual(counts[0], 2)    // le=1: 0.5, 1
        XCTAssertEqual(counts[1], 3)    // le=2: 1.5
        XCTAssertEqual(counts[49], 4)   // le=50
        XCTAssertEqual(counts[99], 6)   // le=100: 99.9, 100
        XCTAssertEqual(counts[100], 7)  // +Inf
    }

    func testDefaultBucketsAreThePrometheusDefaults() throws {
        let histogram = try Registry().makeHistogram(name: "request_duration_seconds", help: "Requests.")
        XCTAssertEqual(histogram.upperBounds, [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])
    }

    func testBucketHelpers() throws {
        XCTAssertEqual(try Buckets.linear(start: 0.1, width: 0.1, count: 5), [0.1, 0.2, 0.3, 0.4, 0.5])
        XCTAssertEqual(try Buckets.linear(start: 0, width: 10, count: 3), [0, 10, 20])
        XCTAssertEqual(try Buckets.exponential(start: 0.001, factor: 10, count: 4), [0.001, 0.01, 0.1, 1])
        XCTAssertEqual(try Buckets.exponential(start: 1, factor: 2, count: 5), [1, 2, 4, 8, 16])
        XCTAssertThrowsError(try Buckets.linear(start: 0, width: 0, count: 3)) { error in
            XCTAssertEqual("\(error)", "invalid bucket layout: linear buckets need a finite start and a positive finite width, got start 0.0, width 0.0")
        }
        XCTAssertThrowsError(try Buckets.exponential(start: 1, factor: 1, count: 3)) { error in
            XCTAssertEqual("\(error)", "invalid bucket layout: exponential buckets need a positive start and a factor above 1, got start 1.0, factor 1.0")
        }
        XCTAssertThrowsError(try Buckets.linear(start: 1, width: 1, count: 0)) { error in
            XCTAssertEqual("\(error)", "invalid bucket layout: linear buckets need a count of at least 1, got 0")
        }
    }

    func testInvalidBoundsAreRejectedAtCreation() {
        let cases: [([Double], String)] = [
            ([], "give at least one finite upper bound (Buckets.defaults is a good start); +Inf is always added"),
            ([1, 1, 2], "bounds must be strictly increasing, but 1.0 follows 1.0 at position 1"),
            ([2, 1], "bounds must be strictly increasing, but 1.0 follows 2.0 at position 1"),
            ([0.1, .nan], "bound nan at position 1 is not finite; only the implicit last bucket is +Inf"),
            ([-.infinity, 1], "bound -inf at position 0 is not finite; only the implicit last bucket is +Inf"),
        ]
        for (bounds, reason) in cases {
            XCTAssertThrowsError(try Registry().makeHistogram(name: "h", help: "H.", buckets: bounds), "\(bounds)") { error in
                XCTAssertEqual("\(error)", "histogram h: invalid buckets: \(reason)")
            }
        }
    }

    func testATrailingInfBoundIsDroppedNotDoubled() throws {
        let histogram = try Registry().makeHistogram(name: "h", help: "H.", buckets: [1, .infinity])
        XCTAssertEqual(histogram.upperBounds, [1])
        XCTAssertEqual(histogram.snapshot.cumulativeCounts.count, 2)
    }
}
