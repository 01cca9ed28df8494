import Synchronization
import Platform

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
    // Two locks, so that an observation never waits for a merge. `lock`, a spin lock,
    // guards only the observations collected since the last merge: taking one in is an
    // append. `window` is a lock that parks, held while a full batch is sorted and merged
    // into the quantile streams, or the quantiles are read: that takes microseconds, and
    // observations go on collecting meanwhile. A merge takes `window` first, then `lock`
    // just to swap the collected batch for an empty buffer. `recent` is guarded by `lock`:
    // that is why the class is `@unchecked Sendable`.
    private let lock = SpinLock()
    @exclusivity(unchecked) private var recent: RecentObservations
    // A pthread mutex (Platform's `Locked`), not `Synchronization.Mutex`: both park a waiting
    // thread, but the thread sanitizer sees the ordering a pthread mutex gives, and not the
    // futex underneath `Mutex`, which it reports as a race.
    private let window: Locked<Merging?>

    /// Observations collected since the last merge, and when the window's head is next reset.
    private struct RecentObservations {
        /// Observations not merged yet, none of them NaN, all made before `headExpiry`.
        var values: [Double] = []
        /// A copy of the window's `headExpiry`: an observation made then or later waits for the reset.
        var headExpiry: Double
        /// Whether a thread is merging the full batch already, so that others keep collecting.
        var merging = false
    }

    /// The window and the buffer that changes places with `recent.values` at every merge.
    private struct Merging {
        var window: QuantileWindow
        var spare: [Double] = []
    }

    init(objectives: [SummaryObjective], maxAge: Double, ageBuckets: Int, clock: any MetricsClock) {
        self.objectives = objectives
        self.clock = clock
        hasQuantiles = !objectives.isEmpty
        let window = objectives.isEmpty
            ? nil
            : QuantileWindow(objectives: objectives, maxAge: maxAge, ageBuckets: ageBuckets, now: clock.now())
        recent = RecentObservations(headExpiry: window?.headExpiry ?? .infinity)
        self.window = Locked(window.map { Merging(window: $0) })
    }

    /// Records one observation.
    @inline(__always)
    public func observe(_ value: Double) {
        if hasQuantiles { collect(value) }
        sumBits.addDouble(value)
        count.wrappingAdd(1, ordering: .relaxed)
    }

    /// Count, sum and the quantiles of the current window.
    ///
    /// The count and the sum are two atomics read one after the other, not together: while
    /// other threads observe, a snapshot's sum can include a few observations its count does
    /// not yet (or the other way round), as in Prometheus's own client libraries. Over any two
    /// scrapes the differences agree again; `rate(x_sum) / rate(x_count)` is unaffected in practice.
    public var snapshot: SummarySnapshot {
        let values: [Double] = hasQuantiles ? merge(before: clock.now(), reading: true) : []
        let quantiles = zip(objectives, values).map { QuantileValue(quantile: $0.quantile, value: $1) }
        return SummarySnapshot(quantiles: quantiles, sum: sumBits.loadDouble(), count: count.load(ordering: .relaxed))
    }

    /// Adds `value` to the observations collected for the window; merges them when the batch
    /// is full, and first when the window's head is due for its reset.
    @inline(__always)
    private func collect(_ value: Double) {
        let now = clock.now()
        while true {
            let (collected, mergeNow) = lock.withLock { () -> (Bool, Bool) in
                // Due for a reset: what was collected predates it, so it is merged first.
                if now >= recent.headExpiry { return (false, true) }
                if !value.isNaN { recent.values.append(value) }
                guard recent.values.count >= QuantileStream.batchSize, !recent.merging else { return (true, false) }
                recent.merging = true
                return (true, true)
            }
            if mergeNow { _ = merge(before: now, reading: false) }
            if collected { return }
        }
    }

    /// Merges the observations collected so far, all made before `now`, into the window,
    /// and returns the window's quantiles at `now` when `reading`.
    @inline(never)
    private func merge(before now: Double, reading: Bool) -> [Double] {
        window.withLock { merging -> [Double] in
            guard var state = merging.take() else { return [] }
            defer { merging = state }
            lock.withLock {
                swap(&recent.values, &state.spare)
                recent.merging = false
            }
            state.window.merge(&state.spare, before: now)
            let quantiles = reading ? state.window.quantiles(at: now) : []
            let headExpiry = state.window.headExpiry
            lock.withLock { recent.headExpiry = headExpiry }
            return quantiles
        }
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
