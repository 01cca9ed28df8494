import Platform

/// The exemplars a scraper keeps: a fixed number, the oldest overwritten first.
///
/// Exemplars are examples, not data to keep: a trace id per bucket per scrape, useful while
/// its trace is. So, like Prometheus with `--enable-feature=exemplar-storage`, they live in
/// one circular buffer shared by every series (`capacity` entries, 100,000 by default, as
/// Prometheus's `storage.exemplars.exemplars_limit`), apart from the samples, and the newest
/// push out the oldest. An exemplar equal to its series' newest is a repeat (the target
/// serves the same latest exemplar on every scrape) and is ignored; one older than or as old
/// as its series' newest is refused, as out of order.
/// See https://prometheus.io/docs/prometheus/latest/feature_flags/#exemplars-storage
public final class ExemplarStorage: Sendable {
    /// The most exemplars kept; 0 keeps none.
    public let capacity: Int
    private let state = Locked(Ring())

    /// The buffer and, per series with exemplars in it, the newest one and how many it has.
    private struct Ring {
        var entries: [(series: LabelSet, exemplar: StoredExemplar)] = []
        /// Where the next exemplar goes once the buffer is full: the oldest entry.
        var next = 0
        var newest: [LabelSet: (exemplar: StoredExemplar, count: Int)] = [:]
        /// The latest cutoff `removeExemplars(before:)` was given: nothing older is taken in.
        var floor = Int64.min
    }

    /// What `append` did with an exemplar.
    public enum Outcome: Sendable, Equatable {
        case stored
        /// The same as its series' newest exemplar: not stored again.
        case duplicate
        /// Not newer than its series' newest exemplar: refused.
        case outOfOrder
        /// Older than what the storage keeps (see `removeExemplars(before:)`): refused.
        case tooOld
        /// The storage keeps no exemplars (`capacity` 0).
        case disabled
    }

    /// An empty buffer for at most `capacity` exemplars (grown as they come, up to it).
    public init(capacity: Int = 100_000) {
        precondition(capacity >= 0, "ExemplarStorage: the capacity is a count of exemplars, 0 or more")
        self.capacity = capacity
    }

    /// Adds `exemplar` to the series `series`, overwriting the oldest exemplar when full.
    @discardableResult
    public func append(_ exemplar: StoredExemplar, to series: LabelSet) -> Outcome {
        guard capacity > 0 else { return .disabled }
        return state.withLock { ring in
            if exemplar.timestamp < ring.floor { return .tooOld }
            if let newest = ring.newest[series]?.exemplar {
                if newest == exemplar { return .duplicate }
                if exemplar.timestamp <= newest.timestamp { return .outOfOrder }
            }
            if ring.entries.count < capacity {
                ring.entries.append((series, exemplar))
            } else {
                let oldest = ring.entries[ring.next].series
                ring.entries[ring.next] = (series, exemplar)
                ring.next = (ring.next + 1) % capacity
                // That series lost its oldest exemplar; with none left, it is forgotten.
                if let kept = ring.newest[oldest], kept.count > 1 {
                    ring.newest[oldest] = (kept.exemplar, kept.count - 1)
                } else {
                    ring.newest[oldest] = nil
                }
            }
            ring.newest[series] = (exemplar, (ring.newest[series]?.count ?? 0) + 1)
            return .stored
        }
    }

    /// Forgets every exemplar older than `cutoff` (milliseconds), and refuses any older than it
    /// from then on: what keeps a store that keeps a window of samples (`lesson serve`'s
    /// history) from keeping exemplars for longer, up to the capacity. (A target serves each
    /// bucket's latest exemplar until a newer one replaces it, however old it is; without the
    /// refusal every trim would be followed by storing it again.) The rest keep their order.
    /// Returns how many were removed.
    @discardableResult
    public func removeExemplars(before cutoff: Int64) -> Int {
        state.withLock { ring in
            ring.floor = max(ring.floor, cutoff)
            guard ring.entries.contains(where: { $0.exemplar.timestamp < cutoff }) else { return 0 }
            let count = ring.entries.count
            var kept: [(series: LabelSet, exemplar: StoredExemplar)] = []
            kept.reserveCapacity(count)
            for index in 0..<count {
                let entry = ring.entries[(ring.next + index) % count]
                if entry.exemplar.timestamp >= cutoff { kept.append(entry) }
            }
            var newest: [LabelSet: (exemplar: StoredExemplar, count: Int)] = [:]
            for entry in kept { newest[entry.series] = (entry.exemplar, (newest[entry.series]?.count ?? 0) + 1) }
            ring = Ring(entries: kept, next: 0, newest: newest, floor: ring.floor)
            return count - kept.count
        }
    }

    /// How many exemplars are kept now.
    public var count: Int {
        state.withLock { $0.entries.count }
    }

    /// The exemplars of every series whose labels satisfy all `matchers`, with timestamps in
    /// `[start, end]` (milliseconds, both inclusive), oldest first, series sorted by labels.
    /// Series with no exemplar there are left out.
    public func select(_ matchers: [LabelMatcher], from start: Int64, through end: Int64) -> [SeriesExemplars] {
        select(anyOf: [matchers], from: start, through: end)
    }

    /// The exemplars of every series whose labels satisfy all matchers of at least one of
    /// `matcherSets` (each series once), as `select(_:from:through:)` gives them.
    public func select(anyOf matcherSets: [[LabelMatcher]], from start: Int64, through end: Int64) -> [SeriesExemplars] {
        let (entries, next) = state.withLock { ($0.entries, $0.next) }
        var bySeries: [LabelSet: [StoredExemplar]] = [:]
        var matching: [LabelSet: Bool] = [:]
        // Oldest first: from `next` to the end, then from the start up to `next`.
        for index in entries.indices {
            let entry = entries[(next + index) % entries.count]
            guard entry.exemplar.timestamp >= start, entry.exemplar.timestamp <= end else { continue }
            let matches = matching[entry.series] ?? {
                let result = matcherSets.contains { matchers in matchers.allSatisfy { $0.matches(entry.series[$0.name]) } }
                matching[entry.series] = result
                return result
            }()
            if matches { bySeries[entry.series, default: []].append(entry.exemplar) }
        }
        return bySeries.map { SeriesExemplars(seriesLabels: $0.key, exemplars: $0.value) }.sorted { $0.seriesLabels < $1.seriesLabels }
    }
}
