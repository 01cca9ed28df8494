import XCTest

@testable import Instrumentation

final class SampleValueFormatTests: XCTestCase {
    func testValuesInBothFormats() {
        let cases: [(Double, String, String)] = [
            (0, "0", "0.0"),
            (1, "1", "1.0"),
            (-42, "-42", "-42.0"),
            (1_234_567, "1234567", "1234567.0"),
            (9_007_199_254_740_991, "9007199254740991", "9007199254740991.0"),
            (9_007_199_254_740_992, "9007199254740992.0", "9007199254740992.0"),
            (1e17, "1e+17", "1e+17"),
            (0.1, "0.1", "0.1"),
            (0.1 + 0.2, "0.30000000000000004", "0.30000000000000004"),
            (2.5e-7, "2.5e-07", "2.5e-07"),
            (1e300, "1e+300", "1e+300"),
            (-0.005, "-0.005", "-0.005"),
            (.infinity, "+Inf", "+Inf"),
            (-.infinity, "-Inf", "-Inf"),
            (.nan, "NaN", "NaN"),
        ]
        for (value, prometheus, openMetrics) in cases {
            XCTAssertEqual(formatSampleValue(value, for: .prometheus), prometheus)
            XCTAssertEqual(formatSampleValue(value, for: .openmetrics), openMetrics)
        }
    }

    func testEveryFiniteValueReadsBackAsTheSameDouble() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            for format in ExpositionFormat.allCases {
                XCTAssertEqual(Double(formatSampleValue(value, for: format)), value, "\(value) in \(format)")
            }
        }
    }
}
