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
/// duplicate. It is small on purpose: a learner can read all of it. Beside the series it
/// keeps one index, the series of each metric name, so a selector that names its metric
/// (almost every one) looks only at that metric's series.
/// Exemplars sit beside the samples in `exemplars`, read back per series with
/// `exemplars.select(_:from:through:)`, the data of Prometheus's `/api/v1/query_exemplars`.
public final class SeriesStore: Sendable {
    private let series = Locked(Contents())

    /// The series, and which series each metric name has.
    private struct Contents {
        var samples: [LabelSet: [StoredSample]] = [:]
        var byName: [String: Set<LabelSet>] = [:]

        subscript(labels: LabelSet) -> [StoredSample]? {
            get { samples[labels] }
            set {
                if newValue == nil {
                    guard samples.removeValue(forKey: labels) != nil else { return }
                    let name = labels.metricName
                    byName[name]?.remove(labels)
                    if byName[name]?.isEmpty == true { byName[name] = nil }
                } else {
                    if samples.updateValue(newValue!, forKey: labels) == nil { byName[labels.metricName, default: []].insert(labels) }
                }
            }
        }

        var count: Int { samples.count }
    }
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
            if series.samples[labels] == nil { series[labels] = [] }
            Self.grow(&series.samples[labels]!, by: 1)
            series.samples[labels]!.append(StoredSample(timestamp: timestamp, value: value))
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
            let existing = series.samples.removeValue(forKey: labels)
            var stored = existing ?? []
            Self.grow(&stored, by: samples.count)
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
            series.samples[labels] = stored
            if existing == nil { series.byName[labels.metricName, default: []].insert(labels) }
            return refused
        }
    }

    /// Marks the series `labels` as gone at `timestamp` (a staleness marker).
    public func markStale(_ labels: LabelSet, timestamp: Int64) {
        append(labels, timestamp: timestamp, value: StoredSample.staleNaN)
    }

    /// Forgets every sample older than `cutoff` (milliseconds), and every series left with
    /// none: what keeps a store that is appended to for hours within a retention window.
    /// Returns how many samples were removed.
    ///
    /// The samples kept move to the front of their series' buffer, which keeps its capacity:
    /// a series whose window is full then takes one sample in and lets one go without asking
    /// the allocator for anything, which is what holds a long-running scraper's memory steady.
    @discardableResult
    public func removeSamples(before cutoff: Int64) -> Int {
        series.withLock { series in
            var removed = 0
            var emptied: [LabelSet] = []
            // Through the dictionary's own values, so each buffer is changed where it is, not copied.
            var index = series.samples.startIndex
            while index != series.samples.endIndex {
                let drop = Self.firstIndex(in: series.samples.values[index], atOrAfter: cutoff)
                if drop > 0 {
                    removed += drop
                    if drop == series.samples.values[index].count {
                        emptied.append(series.samples.keys[index])
                    } else {
                        series.samples.values[index].removeFirst(drop)
                    }
                }
                series.samples.formIndex(after: &index)
            }
            for labels in emptied { series[labels] = nil }
            return removed
        }
    }

    /// Makes room in `samples` for `count` more: by an eighth more than it holds (at least 16)
    /// when it is full, rather than the doubling `append` would do, so a series that has filled
    /// its retention window carries at most an eighth of it as spare room.
    private static func grow(_ samples: inout [StoredSample], by count: Int) {
        let needed = samples.count + count
        guard needed > samples.capacity else { return }
        samples.reserveCapacity(max(needed, samples.count + max(16, samples.count / 8)))
    }

    /// How many series the store holds now (without counting their samples, as `size` does).
    public var seriesCount: Int {
        series.withLock { $0.count }
    }

    /// How many series and samples the store holds now.
    public var size: (series: Int, samples: Int) {
        series.withLock { series in (series.count, series.samples.values.reduce(0) { $0 + $1.count }) }
    }

    /// Every series whose labels satisfy all `matchers`, with all its samples (shared, not
    /// copied), sorted by labels: what a query that looks at many times reads once.
    public func select(_ matchers: [LabelMatcher]) -> [(labels: LabelSet, samples: [StoredSample])] {
        series.withLock { series -> [(labels: LabelSet, samples: [StoredSample])] in
            let named = matchers.first { $0.name == LabelSet.metricNameLabel && $0.kind == .equal }
            let candidates: any Sequence<LabelSet> = named.map { series.byName[$0.value] ?? [] } ?? Array(series.samples.keys)
            return candidates.compactMap { labels in
                matchers.allSatisfy { $0.matches(labels[$0.name]) } ? (labels, series.samples[labels]!) : nil
            }
        }
        .sorted { $0.labels < $1.labels }
    }

    /// Every series whose labels satisfy all `matchers`, with its samples in `[start, end]`
    /// (milliseconds, both inclusive), sorted by labels. Series with no sample there are left out.
    public func select(_ matchers: [LabelMatcher], from start: Int64, through end: Int64) -> [(labels: LabelSet, samples: [StoredSample])] {
        select(matchers).compactMap { labels, samples -> (labels: LabelSet, samples: [StoredSample])? in
            let window = Self.window(of: samples, from: start, through: end)
            return window.isEmpty ? nil : (labels, Array(window))
        }
    }

    /// The samples of `samples` (in time order) in `[start, end]`, milliseconds, both inclusive.
    public static func window(of samples: [StoredSample], from start: Int64, through end: Int64) -> ArraySlice<StoredSample> {
        let first = firstIndex(in: samples, atOrAfter: start)
        let last = end == .max ? samples.count : firstIndex(in: samples, atOrAfter: end + 1)
        return first < last ? samples[first..<last] : []
    }

    private static func firstIndex(in samples: [StoredSample], atOrAfter timestamp: Int64) -> Int {
        var low = 0, high = samples.count
        while low < high {
            let middle = (low + high) / 2
            if samples[middle].timestamp < timestamp { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
