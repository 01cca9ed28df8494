/// The latest exemplar of each place in one series: a counter's one, a histogram's buckets.
///
/// Only recordings that carry an exemplar come here; a metric creates its slots the first
/// time one does (see `Counter.inc(by:exemplar:timestamp:)`), so plain recording never takes
/// this lock or pays for this memory.
final class ExemplarSlots: @unchecked Sendable {
    // Sendable although `latest` is a `var`: it is only touched while holding `lock`.
    private let lock = SpinLock()
    private var latest: [Exemplar?]

    /// Empty slots for `count` places.
    init(count: Int) {
        latest = Array(repeating: nil, count: count)
    }

    /// Keeps `exemplar` as the latest of place `index`, replacing the one before.
    func store(_ exemplar: Exemplar, at index: Int) {
        var replaced: Exemplar? = exemplar
        lock.withLock { swap(&replaced, &latest[index]) }
        // The exemplar replaced is released here, after the lock.
    }

    /// The latest exemplar of every place, nil where none was recorded.
    var exemplars: [Exemplar?] {
        lock.withLock { latest }
    }
}
