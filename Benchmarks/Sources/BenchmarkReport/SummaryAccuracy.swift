/// The observed rank errors of the summary row, as the benchmark recorded them.
///
/// The benchmark (`summary-observe/engine`) feeds each sample's summary a million
/// exponentially distributed latencies, then compares every reported quantile with the
/// exact one from the sorted observations, and records how far the estimate's rank lies
/// from the target rank, in millionths of the count, as a custom metric per objective.
enum SummaryAccuracy {
    /// The start of the custom metrics' names, `rank error q0.99 (ppm)`.
    static let metricPrefix = "rank error q"

    /// The objectives the benchmark uses, quantile and allowed rank error.
    static let objectives: [(quantile: Double, allowed: Double)] = [(0.5, 0.05), (0.9, 0.01), (0.99, 0.001)]

    /// One line per objective: allowed error, observed median and worst over the samples.
    static func rows(from results: BenchmarkResults) throws -> [[String]] {
        let summary = try results("summary-observe/engine")
        return try objectives.map { objective in
            let name = "\(metricPrefix)\(objective.quantile) (ppm)"
            guard let observed = summary.custom[name] else {
                throw ReportError("the summary benchmark recorded no \(name)")
            }
            return [
                "\(objective.quantile)", fraction(objective.allowed),
                fraction(observed.median / 1_000_000), fraction(observed.largest / 1_000_000),
                observed.largest / 1_000_000 <= objective.allowed ? "yes" : "NO",
            ]
        }
    }

    private static func fraction(_ value: Double) -> String {
        String(format: "%.4f", value)
    }
}
