import XCTest

@testable import PromQL
@testable import TimeSeries

/// A range selector hands the range functions the part of the store's buffer that falls in the
/// range, a slice that starts wherever the range starts. Each function must answer over such a
/// slice exactly what it answers over the same samples held on their own.
final class PromQLRangeSliceTests: XCTestCase {
    private static let functions = [
        "rate", "increase", "delta", "irate", "idelta", "deriv", "changes", "resets",
        "avg_over_time", "sum_over_time", "count_over_time", "min_over_time", "max_over_time",
        "stddev_over_time", "stdvar_over_time", "first_over_time", "last_over_time", "present_over_time",
    ]

    private func answers(_ store: SeriesStore, at time: Int64) throws -> [String: Double] {
        let engine = PromQLEngine(store: store)
        var answers: [String: Double] = [:]
        var queries = Self.functions.map { "\($0)(x[5m])" }
        queries += ["quantile_over_time(0.3, x[5m])", "predict_linear(x[5m], 600)", "double_exponential_smoothing(x[5m], 0.4, 0.6)"]
        for query in queries {
            guard case .vector(let elements) = try engine.evaluate(query, at: time) else { XCTFail(query); continue }
            XCTAssertLessThanOrEqual(elements.count, 1, query)
            if let element = elements.first { answers[query] = element.value }
        }
        return answers
    }

    func testEveryRangeFunctionAnswersTheSameOverAMidBufferRangeAsOverTheRangeAlone() throws {
        var random = SystemRandomNumberGenerator()
        for trial in 0..<40 {
            // A counter-like series with resets and irregular intervals, longer than the range.
            var samples: [StoredSample] = []
            var time: Int64 = 1_000_000, value = 0.0
            for _ in 0..<Int.random(in: 30...200, using: &random) {
                time += Int64.random(in: 1_000...30_000, using: &random)
                value = Int.random(in: 0..<12, using: &random) == 0 ? 0 : value + Double.random(in: 0...50, using: &random)
                samples.append(StoredSample(timestamp: time, value: value))
            }
            let at = samples[samples.count - 1 - Int.random(in: 0..<10, using: &random)].timestamp + Int64.random(in: 0...5_000, using: &random)
            let whole = SeriesStore(), alone = SeriesStore()
            let labels = LabelSet(name: "x", [:])
            _ = whole.append(labels, samples: samples)
            let inRange = samples.filter { $0.timestamp > at - 300_000 && $0.timestamp <= at }
            _ = alone.append(labels, samples: inRange)

            let fromSlice = try answers(whole, at: at), fromArray = try answers(alone, at: at)
            XCTAssertEqual(Set(fromSlice.keys), Set(fromArray.keys), "trial \(trial)")
            for (query, expected) in fromArray {
                let got = try XCTUnwrap(fromSlice[query])
                XCTAssertTrue(got == expected || (got.isNaN && expected.isNaN), "trial \(trial): \(query) = \(got) over the slice, \(expected) alone")
            }
            // The range really did start inside the stored buffer, and had enough samples to matter.
            XCTAssertGreaterThan(samples.count, inRange.count, "trial \(trial)")
        }
    }

    func testAStalenessMarkerInTheRangeIsNoSample() throws {
        let store = SeriesStore()
        let labels = LabelSet(name: "x", [:])
        for second in stride(from: Int64(0), through: 600, by: 15) {
            if second == 300 { store.markStale(labels, timestamp: 300_000) } else { store.append(labels, timestamp: second * 1000, value: Double(second)) }
        }
        let engine = PromQLEngine(store: store)
        guard case .vector(let counted) = try engine.evaluate("count_over_time(x[2m])", at: 360_000),
              case .vector(let summed) = try engine.evaluate("sum_over_time(x[2m])", at: 360_000),
              case .matrix(let raw) = try engine.evaluate("x[2m]", at: 360_000)
        else { return XCTFail("unexpected value types") }
        // (240, 360] holds 255…360 every 15 s but 300: seven samples, the marker not among them.
        XCTAssertEqual(counted.map(\.value), [7])
        let kept: [Int64] = [255, 270, 285, 315, 330, 345, 360]
        XCTAssertEqual(summed.map(\.value), [Double(kept.reduce(0, +))])
        XCTAssertEqual(raw.first?.samples.map(\.timestamp), kept.map { $0 * 1000 })
    }
}
