import XCTest

@testable import Instrumentation
@testable import WorkbookKit

final class TerminalChartTests: XCTestCase {
    func testBarsScaleToTheLargestValue() {
        XCTAssertEqual(TerminalChart.bars([("GET", 40), ("POST", 10), ("PUT", 0)], width: 8), "GET   ████████ 40\nPOST  ██ 10\nPUT   0\n")
        XCTAssertEqual(TerminalChart.bar(1, maximum: 8, width: 1), "▏")
        XCTAssertEqual(TerminalChart.bar(9, maximum: 8, width: 2), "██", "a value above the maximum is capped")
    }

    func testSparklineSpansLowestToHighest() {
        XCTAssertEqual(TerminalChart.sparkline([0, 1, 2, 3, 4, 5, 6, 7]), "▁▂▃▄▅▆▇█")
        XCTAssertEqual(TerminalChart.sparkline([3, .nan, 3]), "▅ ▅")
        XCTAssertEqual(TerminalChart.sparkline([]), "")
    }

    func testBucketLadderIsCumulative() {
        let histogram = HistogramSnapshot(upperBounds: [0.1, 0.5], cumulativeCounts: [1, 2, 4], sum: 3)
        XCTAssertEqual(TerminalChart.bucketLadder(histogram, width: 4), "le=\"0.1\"   █ 1\nle=\"0.5\"   ██ 2\nle=\"+Inf\"  ████ 4\n")
    }
}

final class TerminalChartLayoutTests: XCTestCase {
    func testPaddingAndRuler() {
        XCTAssertEqual(TerminalChart.padded("ab", 4), "ab  ")
        XCTAssertEqual(TerminalChart.padded("abcdef", 4), "abcdef ", "at least one space")
        XCTAssertEqual(TerminalChart.ruler(spacing: 5, step: 5, through: 15), "0    5    10   15")
    }
}
