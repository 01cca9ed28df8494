import Platform

/// One stored sample: a time in milliseconds since the epoch and a value.
public struct StoredSample: Sendable, Equatable {
    public let timestamp: Int64
    public let value: Double

    public init(timestamp: Int64, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }

    /// Whether this is a staleness marker rather than a value.
    public var isStale: Bool { value.bitPattern == StoredSample.staleNaN.bitPattern }

    /// The NaN with a particular bit pattern that Prometheus writes to mark a series as gone
    /// (it disappeared from a scrape, or its target went down). Queries treat it as "no value".
    public static let staleNaN = Double(bitPattern: 0x7FF0_0000_0000_0002)
}

/// An in-memory time-series store: the samples a scraper appends, read back by queries.
///
/// Each series (a `LabelSet`) holds its samples in time order. Like Prometheus it refuses
/// a sample older than the newest one of its series (out of order) and ignores an exact
/// duplicate. It is small and linear on purpose: a learner can read all of it.
/// Exemplars sit beside the samples in `exemplars`, read back per series with
/// `exemplars.select(_:from:through:)`, the data of Prometheus's `/api/v1/query_exemplars`.
public final class SeriesStore: Sendable {
    private let series = Locked<[LabelSet: [StoredSample]]>([:])
    /// The exemplars scraped with the samples, in a bounded buffer of their own (see `ExemplarStorage`).
    public let exemplars: ExemplarStorage

    /// An empty store keeping at most `exemplarCapacity` exemplars (0 keeps none).
    public init(exemplarCapacity: Int = 100_000) {
        exemplars = ExemplarStorage(capacity: exemplarCapacity)
    }

    /// Appends a sample to the series `labels`. Returns false when it is out of order.
    @discardableResult
    public func append(_ labels: LabelSet, timestamp: Int64, value: Double) -> Bool {
        series.withLock { series in
            if let last = series[labels]?.last {
                if timestamp < last.timestamp { return false }
                if timestamp == last.timestamp {
                    return last.value.bitPattern == value.bitPattern
                }
            }
            series[labels, default: []].append(StoredSample(timestamp: timestamp, value: value))
            return true
        }
    }

    /// Appends `samples`, in time order, to the series `labels` under one lock, as `append`
    /// would one by one: a sample older than the series' newest is refused, an exact repeat
    /// ignored. Returns how many were refused.
    @discardableResult
    public func append(_ labels: LabelSet, samples: [StoredSample]) -> Int {
        series.withLock { series in
            var refused = 0
            var stored = series.removeValue(forKey: labels) ?? []
            stored.reserveCapacity(stored.count + samples.count)
            for sample in samples {
                if let last = stored.last {
                    if sample.timestamp < last.timestamp || (sample.timestamp == last.timestamp && last.value.bitPattern != sample.value.bitPattern) {
                        refused += 1
                        continue
                    }
                    if sample.timestamp == last.timestamp { continue }
                }
                stored.append(sample)
            }
            series[labels] = stored
            return refused
        }
    }

    /// Marks the series `labels` as gone at `timestamp` (a staleness marker).
    public func markStale(_ labels: LabelSet, timestamp: Int64) {
        append(labels, timestamp: timestamp, value: StoredSample.staleNaN)
    }

    /// Every series whose labels satisfy all `matchers`, with its samples in `[start, end]`
    /// (milliseconds, both inclusive), sorted by labels. Series with no sample there are left out.
    public func select(_ matchers: [LabelMatcher], from start: Int64, through end: Int64) -> [(labels: LabelSet, samples: [StoredSample])] {
        let matching = series.withLock { series in
            series.filter { entry in matchers.allSatisfy { $0.matches(entry.key[$0.name]) } }
        }
        return matching.compactMap { labels, samples -> (labels: LabelSet, samples: [StoredSample])? in
            let first = firstIndex(in: samples, atOrAfter: start)
            let last = end == .max ? samples.count : firstIndex(in: samples, atOrAfter: end + 1)
            guard first < last else { return nil }
            return (labels, Array(samples[first..<last]))
        }
        .sorted { $0.labels < $1.labels }
    }

    private func firstIndex(in samples: [StoredSample], atOrAfter timestamp: Int64) -> Int {
        var low = 0, high = samples.count
        while low < high {
            let middle = (low + high) / 2
            if samples[middle].timestamp < timestamp { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
