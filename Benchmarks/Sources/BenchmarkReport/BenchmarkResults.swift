import Foundation

/// What package-benchmark measured in one run, read from its JMH export
/// (`swift package benchmark --format jmh`).
///
/// Each benchmark has its samples summarised as percentiles; this keeps the medians that
/// the table needs: time per sample, mallocs per sample and any custom metric.
struct BenchmarkResults {
    /// One benchmark's medians.
    struct Medians {
        /// Wall-clock time of one sample, in nanoseconds.
        var nanosecondsPerSample: Double
        /// Mallocs during one sample.
        var mallocsPerSample: Double
        /// Custom metrics by name, with their median and largest sample.
        var custom: [String: (median: Double, largest: Double)]
    }

    /// Medians by benchmark name (`counter-inc/engine`).
    let medians: [String: Medians]

    /// Reads a JMH export written by package-benchmark.
    init(contentsOf url: URL) throws {
        let elements = try JSONDecoder().decode([Element].self, from: Data(contentsOf: url))
        var medians: [String: Medians] = [:]
        for element in elements {
            let name = element.benchmark.components(separatedBy: "EngineComparison.").last ?? element.benchmark
            guard let time = element.secondaryMetrics["Time (wall clock)"] else {
                throw ReportError("\(name) has no wall-clock time in \(url.path)")
            }
            // JMH reports times in microseconds and counts as they are.
            var entry = Medians(
                nanosecondsPerSample: time.median * 1_000,
                mallocsPerSample: element.secondaryMetrics["Malloc (total)"]?.median ?? 0,
                custom: [:])
            for (metric, value) in element.secondaryMetrics where metric.hasPrefix(SummaryAccuracy.metricPrefix) {
                entry.custom[metric] = (value.median, value.largest)
            }
            medians[name] = entry
        }
        self.medians = medians
    }

    /// The medians of `name`, or an error naming what is missing.
    func callAsFunction(_ name: String) throws -> Medians {
        guard let entry = medians[name] else { throw ReportError("no result for benchmark \(name); did every benchmark run?") }
        return entry
    }

    /// The part of a JMH element the report reads.
    private struct Element: Decodable {
        let benchmark: String
        let secondaryMetrics: [String: Metric]
    }

    /// One metric's percentiles, keyed "50.0", "100.0" and so on.
    private struct Metric: Decodable {
        let scorePercentiles: [String: Double]

        var median: Double { scorePercentiles["50.0"] ?? .nan }
        var largest: Double { scorePercentiles["100.0"] ?? .nan }
    }
}

/// A failure of the report, with what to do about it.
struct ReportError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
