import Foundation
import TestSupport
import XCTest

@testable import PromQL
@testable import Scraping
@testable import TimeSeries

/// The `--data` loader turns each sample's timestamp in seconds into milliseconds as
/// promtool's backfill does, checked against promtool and a real Prometheus over the same file.
final class TimestampedExpositionTests: XCTestCase {
    func testFractionalSecondsBecomeTheMillisecondsPromtoolMakesOfThem() throws {
        var random = SystemRandomNumberGenerator()
        let base = 1_700_000_000
        var lines = ["# TYPE frac gauge"]
        var written: [String] = []
        for index in 0..<300 {
            // 1 to 6 decimals, many ending in 9s or just past a millisecond, where cutting and
            // rounding part ways.
            let decimals = Int.random(in: 1...6, using: &random)
            var fraction = (0..<decimals).map { _ in String(Int.random(in: 0...9, using: &random)) }.joined()
            if index % 3 == 0 { fraction = String(fraction.prefix(max(1, decimals - 1))) + "9" }
            let seconds = "\(base + index * 10).\(fraction)"
            written.append(seconds)
            lines.append("frac \(index) \(seconds)")
        }
        let text = (lines + ["# EOF"]).joined(separator: "\n") + "\n"
        let store = SeriesStore()
        let newest = try TimestampedExposition.load(Array(text.utf8), into: store)
        let ours = try XCTUnwrap(store.select([try LabelMatcher("__name__", .equal, "frac")]).first).samples.map(\.timestamp)
        XCTAssertEqual(ours.count, written.count)
        XCTAssertEqual(newest, ours.last)

        let prometheus = try RealPrometheus.backfilled(openMetrics: text)
        defer { prometheus.stop() }
        let end = Double(base + 300 * 10)
        let answer = try prometheus.getJSON(["/api/v1/query?query=frac%5B1h%5D&time=\(end)"])[0]
        let values = (((answer as? [String: Any])?["data"] as? [String: Any])?["result"] as? [[String: Any]])?.first?["values"] as? [[Any]] ?? []
        let theirs = values.compactMap { ($0.first as? Double).map { Int64(($0 * 1000).rounded()) } }
        XCTAssertEqual(theirs.count, written.count, "Prometheus answered \(answer)")
        let differing = zip(written, zip(ours, theirs)).filter { $1.0 != $1.1 }
        XCTAssertTrue(differing.isEmpty, "timestamps (written, ours, Prometheus's): \(differing.prefix(10))")
        // Cutting toward zero, not rounding, is what some of these tell apart.
        let rounded = written.map { Int64((Double($0)! * 1000).rounded()) }
        XCTAssertNotEqual(rounded, theirs, "the generated timestamps should include some that rounding gets wrong")
    }
}
