import Synchronization

/// Observations counted into buckets by value, plus their count and sum.
///
/// Use a histogram for distributions you want to aggregate across instances and
/// query later with any quantile: request latencies, response sizes. Each observation
/// increments exactly one bucket here; the exposition turns the buckets into
/// cumulative `_bucket{le="…"}` counters (`le` is "less than or equal"), plus `_sum`
/// and `_count` (which equals the `+Inf` bucket). Quantiles are estimated at query
/// time: `histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))`, interpolating
/// inside the bucket the rank falls in, so the bucket layout bounds the error. For
/// exact client-side quantiles of one process, see `Summary`; they cannot be aggregated.
/// See https://prometheus.io/docs/concepts/metric_types/#histogram and
/// https://prometheus.io/docs/practices/histograms/
public final class Histogram: Sendable {
    /// The finite upper bounds, strictly increasing; the `+Inf` bucket follows them.
    public let upperBounds: [Double]
    // One slot per bucket, non-cumulative (observe touches one slot), the last is +Inf.
    private let buckets: AtomicSlots
    private let sumBits = Atomic<UInt64>(0.0.bitPattern)

    init(upperBounds: [Double]) {
        self.upperBounds = upperBounds
        buckets = AtomicSlots(count: upperBounds.count + 1)
    }

    /// Counts `value` in the first bucket whose upper bound is at least `value`, and adds it to the sum.
    ///
    /// NaN lands in the `+Inf` bucket and makes the sum NaN, as in the Prometheus clients.
    @inline(__always)
    public func observe(_ value: Double) {
        buckets.increment(bucketIndex(for: value))
        sumBits.addDouble(value)
    }

    @inline(__always)
    private func bucketIndex(for value: Double) -> Int {
        // A linear scan beats a binary search for the usual dozen buckets: the bounds
        // sit in one or two cache lines and the branch pattern is predictable.
        upperBounds.withUnsafeBufferPointer { bounds in
            if bounds.count > 32 {
                var low = 0, high = bounds.count
                while low < high {
                    let middle = (low + high) / 2
                    if value <= bounds[middle] { high = middle } else { low = middle + 1 }
                }
                return low
            }
            var index = 0
            while index < bounds.count, !(value <= bounds[index]) { index += 1 }
            return index
        }
    }

    /// The buckets made cumulative, the count and the sum.
    ///
    /// The count is the `+Inf` bucket, so the two agree in every snapshot. A snapshot
    /// taken while other threads record may see an observation's bucket before its sum.
    public var snapshot: HistogramSnapshot {
        var cumulative = [UInt64]()
        cumulative.reserveCapacity(buckets.count)
        var running: UInt64 = 0
        for index in 0..<buckets.count {
            running &+= buckets.load(index)
            cumulative.append(running)
        }
        return HistogramSnapshot(upperBounds: upperBounds, cumulativeCounts: cumulative, sum: sumBits.loadDouble())
    }
}
