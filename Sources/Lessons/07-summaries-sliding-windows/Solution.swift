
/// The reference answer to `SlidingWindowCounter` in Exercise.swift. Try the exercise first.
struct SolutionSlidingWindowCounter {
    /// When the first period begins, in seconds; every period boundary is computed from it.
    private let start: Double
    /// The length of one period: maxAge / ageBuckets seconds.
    private let period: Double
    /// One count per age bucket, used as a ring: period k is counted in bucket k % ageBuckets.
    private var buckets: [Int]
    /// The newest period the ring has been brought up to, numbered from 0 at `start`.
    private var newestPeriod = 0

    /// An empty window of `maxAge` seconds in `ageBuckets` age buckets; its first period begins at `start`.
    init(maxAge: Double, ageBuckets: Int, start: Double) {
        precondition(maxAge > 0 && ageBuckets >= 1, "a window needs a positive maxAge and at least one age bucket")
        self.start = start
        period = maxAge / Double(ageBuckets)
        buckets = Array(repeating: 0, count: ageBuckets)
    }

    /// Records `events` events that happened at `time`, in seconds.
    mutating func add(_ events: Int, at time: Double) throws {
        let current = advance(to: time)
        buckets[current % buckets.count] += events
    }

    /// The number of events the window holds at `time`, in seconds.
    mutating func count(at time: Double) throws -> Int {
        advance(to: time)
        return buckets.reduce(0, +)
    }

    /// Brings the ring up to the period `time` falls in and returns that period's number.
    ///
    /// Each period that began since the newest one reuses a bucket whose counts have just
    /// expired, so it empties that bucket. After a gap of ageBuckets periods or more every
    /// bucket has expired, and emptying each once is enough.
    @discardableResult
    private mutating func advance(to time: Double) -> Int {
        // The period number comes from the time since `start`, never from the time of the
        // last call, so boundaries stay at start + k × period however irregular the calls.
        // Times do not go backwards; an earlier one is taken as the newest period.
        let current = max(Int(((time - start) / period).rounded(.down)), newestPeriod)
        let elapsed = min(current - newestPeriod, buckets.count)
        for step in 0..<elapsed {
            buckets[(newestPeriod + 1 + step) % buckets.count] = 0
        }
        newestPeriod = current
        return current
    }
}
