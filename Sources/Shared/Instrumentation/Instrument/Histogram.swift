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
public final class Histogram: @unchecked Sendable {
    // Sendable although it holds a pointer: `bounds` is set once and only read.

    /// The finite upper bounds, strictly increasing; the `+Inf` bucket follows them.
    public let upperBounds: [Double]
    // A copy of the bounds that observe reads: reading the array instead may retain and
    // release its storage, and threads observing at once would then fight over its
    // reference count.
    @usableFromInline let bounds: UnsafeBufferPointer<Double>
    // One word per bucket, non-cumulative (observe touches one), the last for +Inf; then
    // the sum, a Double's bits; per stripe of threads that recorded (see `StripedWords`).
    @usableFromInline let words: StripedWords
    /// Where the sum sits, after the buckets.
    @usableFromInline let sumWord: Int
    /// The latest exemplar of each bucket, in slots made by the first observation that
    /// carries one: a plain observation never looks here.
    let exemplarSlots = AtomicLazyReference<ExemplarSlots>()

    init(upperBounds: [Double]) {
        self.upperBounds = upperBounds
        let bounds = UnsafeMutableBufferPointer<Double>.allocate(capacity: upperBounds.count)
        _ = bounds.initialize(from: upperBounds)
        self.bounds = UnsafeBufferPointer(bounds)
        sumWord = upperBounds.count + 1
        words = StripedWords(words: sumWord + 1)
    }

    deinit {
        bounds.deallocate()
    }

    /// Counts `value` in the first bucket whose upper bound is at least `value`, and adds it to the sum.
    ///
    /// NaN lands in the `+Inf` bucket and makes the sum NaN, as in the Prometheus clients.
    @inlinable @inline(__always)
    public func observe(_ value: Double) {
        let block = words.block()
        block[bucketIndex(for: value)].wrappingAdd(1, ordering: .relaxed)
        block[sumWord].addDouble(value)
    }

    /// Observes `value` as `observe(_:)` does and keeps it as the exemplar of its bucket,
    /// with `labels` (such as the trace id of the request timed) and `timestamp` in seconds
    /// since the epoch if given.
    ///
    /// Each bucket keeps its latest exemplar; OpenMetrics writes it on the bucket's line, so
    /// a dashboard can go from a slow bucket to one slow request. Throws
    /// `MetricsError.invalidExemplar`, and observes nothing, when OpenMetrics could not carry
    /// the exemplar (see `Exemplar`). Costs more than `observe(_:)`: a lock and a copy of
    /// the labels.
    public func observe(_ value: Double, exemplar labels: [String: String], timestamp: Double? = nil) throws {
        let exemplar = try Exemplar(labels: labels, value: value, timestamp: timestamp)
        let bucket = bucketIndex(for: value)
        let block = words.block()
        block[bucket].wrappingAdd(1, ordering: .relaxed)
        block[sumWord].addDouble(value)
        let slots = exemplarSlots.load() ?? exemplarSlots.storeIfNil(ExemplarSlots(count: sumWord))
        slots.store(exemplar, at: bucket)
    }

    /// The latest exemplar of each bucket, the `+Inf` bucket last; nil where none was
    /// recorded, and empty when no observation carried one.
    public var exemplars: [Exemplar?] {
        exemplarSlots.load()?.exemplars ?? []
    }

    @inlinable @inline(__always)
    func bucketIndex(for value: Double) -> Int {
        if bounds.count > 32 {
            var low = 0, high = bounds.count
            while low < high {
                let middle = (low + high) / 2
                if value <= bounds[middle] { high = middle } else { low = middle + 1 }
            }
            return low
        }
        // For the usual dozen bounds, count the bounds below the value instead of
        // stopping at the first one above it: no branch to mispredict when values
        // vary, and the compiler can compare several bounds per instruction.
        // NaN is below no bound, so it counts them all and lands in +Inf.
        var index = 0
        for bound in bounds where !(value <= bound) { index &+= 1 }
        return index
    }

    /// The buckets made cumulative, the count and the sum.
    ///
    /// The count is the `+Inf` bucket, so the two agree in every snapshot. A snapshot
    /// taken while other threads record may see an observation's bucket before its sum.
    public var snapshot: HistogramSnapshot {
        var cumulative = [UInt64]()
        cumulative.reserveCapacity(sumWord)
        var running: UInt64 = 0
        for bucket in 0..<sumWord {
            running &+= words.sum(word: bucket)
            cumulative.append(running)
        }
        return HistogramSnapshot(upperBounds: upperBounds, cumulativeCounts: cumulative, sum: words.sumDouble(word: sumWord))
    }
}
