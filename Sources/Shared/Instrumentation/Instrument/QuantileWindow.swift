/// The sliding time window behind a summary's quantiles, as Prometheus clients keep it.
///
/// A quantile stream cannot forget single observations, so the window keeps `ageBuckets`
/// streams that all receive every observation and are reset in turn, one every
/// maxAge/ageBuckets seconds. Queries read the oldest stream, the head: it was last reset
/// less than maxAge ago and at least maxAge − maxAge/ageBuckets ago, so the reported
/// quantiles cover at most the last maxAge seconds and at least the last
/// maxAge − maxAge/ageBuckets (less only in the first maxAge after creation).
///
/// Time is passed in as seconds on the owner's clock, which keeps the window free of
/// clock calls and testable without sleeping. Resets happen when the head's period has
/// ended, at the next call; rotation counts are derived from the creation time rather
/// than accumulated, so a long run does not drift, and a long gap costs at most one reset
/// per stream. Observations are collected once, sorted once and merged into every stream
/// in a batch; an owner that collects them itself hands its batch in with `merge(_:before:)`.
/// NaN observations have no rank and are ignored. Not thread-safe: the owner serialises access.
struct QuantileWindow {
    /// The quantiles reported, in the order `quantiles(at:)` returns them.
    private let objectives: [SummaryObjective]
    /// Seconds between two resets: maxAge / ageBuckets.
    private let period: Double
    /// The creation time, from which every reset time is computed.
    private let origin: Double
    /// Rotations since `origin`; a whole number kept as `Double` to mix with times exactly.
    private var rotations: Double = 0
    /// When the head stream is next reset; cached so that `observe` compares one number.
    private(set) var headExpiry: Double
    /// Index of the oldest stream, the one queries read and the next to be reset.
    private var head = 0
    /// One stream per age bucket; all receive every observation.
    private var streams: [QuantileStream]
    /// Observations not yet merged into the streams, shared by all of them.
    private var pending: [Double] = []

    /// Creates an empty window starting at `now`, with `ageBuckets` streams over `maxAge` seconds.
    init(objectives: [SummaryObjective], maxAge: Double, ageBuckets: Int, now: Double) {
        precondition(maxAge > 0 && maxAge.isFinite, "maxAge \(maxAge) must be a positive number of seconds")
        precondition(ageBuckets >= 1, "ageBuckets \(ageBuckets) must be at least 1")
        precondition(now.isFinite, "time \(now) must be finite")
        self.objectives = objectives
        period = maxAge / Double(ageBuckets)
        origin = now
        headExpiry = now + period
        streams = Array(repeating: QuantileStream(objectives: objectives), count: ageBuckets)
    }

    /// Records one observation made at `now`, after expiring what is due by then.
    mutating func observe(_ value: Double, at now: Double) {
        if now >= headExpiry { rotate(to: now) }
        guard !value.isNaN else { return }
        pending.append(value)
        if pending.count >= QuantileStream.batchSize { flush(from: 0) }
    }

    /// Records a batch of observations, none of them NaN, all made before `now`, after
    /// expiring what is due by `now`: the batch counts as observed before those resets.
    /// Leaves `batch` empty, with capacity, for the owner to collect the next batch in.
    mutating func merge(_ batch: inout [Double], before now: Double) {
        if pending.isEmpty {
            swap(&pending, &batch)
        } else {
            pending.append(contentsOf: batch)
            batch.removeAll(keepingCapacity: true)
        }
        rotate(to: now)
        flush(from: 0)
    }

    /// The estimate for each objective at `now`, in objectives order; NaN when the window is empty.
    mutating func quantiles(at now: Double) -> [Double] {
        rotate(to: now)
        flush(from: 0)
        var values: [Double] = []
        values.reserveCapacity(objectives.count)
        for objective in objectives {
            values.append(streams[head].query(objective.quantile))
        }
        return values
    }

    /// Resets every stream whose period has ended by `now`, oldest first.
    ///
    /// Collected observations predate the rotation, so they go into the streams that
    /// survive it and are skipped for the streams about to be reset. Earlier times than
    /// the last one change nothing; a non-finite time is a programming error.
    mutating func rotate(to now: Double) {
        guard now >= headExpiry else { return }
        precondition(now.isFinite, "time \(now) must be finite")
        let elapsedPeriods = (now - origin) / period
        precondition(elapsedPeriods < 0x1p52, "more rotations than a Double counts exactly; the period is too short")
        // Elapsed time is positive here, so truncation rounds down.
        let estimate = Double(Int(elapsedPeriods))
        // The smallest rotation count whose head expires after `now`, computed with the
        // same formula as `expiry(after:)` so the two never disagree by rounding.
        var target = max(rotations + 1, estimate)
        while expiry(after: target) <= now { target += 1 }
        while target - 1 > rotations && expiry(after: target - 1) > now { target -= 1 }

        let steps = target - rotations
        let bucketCount = streams.count
        let expiring = steps >= Double(bucketCount) ? bucketCount : Int(steps)
        if expiring < bucketCount {
            flush(from: expiring)
        } else {
            pending.removeAll(keepingCapacity: true)
        }
        for offset in 0..<expiring {
            streams[(head + offset) % bucketCount].reset()
        }
        head = (head + Int(steps) % bucketCount) % bucketCount
        rotations = target
        headExpiry = expiry(after: target)
    }

    /// The time at which the head stream is reset once `rotations` rotations have happened.
    private func expiry(after rotations: Double) -> Double {
        origin + (rotations + 1) * period
    }

    /// Sorts the collected observations once and merges them into the streams from
    /// `offset` places after the head onwards, then empties the collection.
    private mutating func flush(from offset: Int) {
        guard !pending.isEmpty else { return }
        pending.sort()
        let bucketCount = streams.count
        pending.withUnsafeBufferPointer { batch in
            for position in offset..<bucketCount {
                streams[(head + position) % bucketCount].insert(sorted: batch)
            }
        }
        pending.removeAll(keepingCapacity: true)
    }
}
