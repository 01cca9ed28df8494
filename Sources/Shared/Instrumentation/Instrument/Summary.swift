import Synchronization

/// Observations summarised in the client: count, sum, and optionally quantiles over a sliding window.
///
/// Use a summary when one process needs accurate quantiles of its own observations and
/// you know the quantiles in advance. Its quantiles cannot be aggregated: the average of
/// two instances' 0.99 quantiles is not the 0.99 quantile of both. To aggregate across
/// instances, or to choose quantiles at query time, use a `Histogram`.
///
/// As in Prometheus, a summary has no quantiles unless objectives are given: each
/// objective is a quantile with an allowed rank error (0.99 with 0.001 reports a value
/// whose rank is between 0.989 and 0.991 of the observations). Quantiles cover the last
/// `maxAge` seconds (default 10 minutes, in 5 age buckets that expire in turn); when the
/// window holds nothing they are NaN, while `_sum` and `_count` count everything since
/// the start. Query the exposed quantile directly (`rpc_duration_seconds{quantile="0.99"}`)
/// and the average as `rate(x_sum[5m]) / rate(x_count[5m])`.
/// See https://prometheus.io/docs/concepts/metric_types/#summary
public final class Summary: @unchecked Sendable {
    /// The quantiles reported, each with its allowed rank error, in increasing quantile order.
    public let objectives: [SummaryObjective]
    private let count = Atomic<UInt64>(0)
    private let sumBits = Atomic<UInt64>(0.0.bitPattern)
    private let clock: any MetricsClock
    private let hasQuantiles: Bool
    private let lock = SpinLock()
    // Mutable state guarded by `lock`; that is why the class is `@unchecked Sendable`.
    private var window: QuantileWindow?

    init(objectives: [SummaryObjective], maxAge: Double, ageBuckets: Int, clock: any MetricsClock) {
        self.objectives = objectives
        self.clock = clock
        hasQuantiles = !objectives.isEmpty
        window = objectives.isEmpty
            ? nil
            : QuantileWindow(objectives: objectives, maxAge: maxAge, ageBuckets: ageBuckets, now: clock.now())
    }

    /// Records one observation.
    @inline(__always)
    public func observe(_ value: Double) {
        if hasQuantiles {
            let now = clock.now()
            lock.withLock { window?.observe(value, at: now) }
        }
        sumBits.addDouble(value)
        count.wrappingAdd(1, ordering: .relaxed)
    }

    /// Count, sum and the quantiles of the current window.
    public var snapshot: SummarySnapshot {
        let values: [Double] = !hasQuantiles ? [] : lock.withLock { window?.quantiles(at: clock.now()) ?? [] }
        let quantiles = zip(objectives, values).map { QuantileValue(quantile: $0.quantile, value: $1) }
        return SummarySnapshot(quantiles: quantiles, sum: sumBits.loadDouble(), count: count.load(ordering: .relaxed))
    }

    static func validated(objectives: [SummaryObjective], maxAge: Double, ageBuckets: Int, metric: String) throws -> [SummaryObjective] {
        var seen = Set<Double>()
        for objective in objectives {
            guard objective.quantile > 0, objective.quantile < 1 else {
                throw MetricsError.invalidObjective(metric: metric, reason: "quantile \(objective.quantile) must be between 0 and 1, exclusive (0.5 is the median, 0.99 the 99th percentile)")
            }
            guard objective.error > 0, objective.error < 1 else {
                throw MetricsError.invalidObjective(metric: metric, reason: "allowed error \(objective.error) for quantile \(objective.quantile) must be between 0 and 1, exclusive (0.01 means rank within ±1%)")
            }
            guard seen.insert(objective.quantile).inserted else {
                throw MetricsError.invalidObjective(metric: metric, reason: "quantile \(objective.quantile) is listed twice")
            }
        }
        guard maxAge > 0, maxAge.isFinite else {
            throw MetricsError.invalidWindow(metric: metric, reason: "maxAge must be a positive number of seconds, got \(maxAge)")
        }
        guard ageBuckets >= 1 else {
            throw MetricsError.invalidWindow(metric: metric, reason: "ageBuckets must be at least 1, got \(ageBuckets)")
        }
        return objectives.sorted { $0.quantile < $1.quantile }
    }
}
