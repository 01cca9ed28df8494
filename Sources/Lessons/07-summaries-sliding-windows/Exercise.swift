import WorkbookKit

/// Counts events over a sliding time window kept in age buckets, as a summary keeps its quantiles.
///
/// The window covers `maxAge` seconds (positive, not necessarily whole), split into
/// `ageBuckets` periods (1 or more) of `maxAge / ageBuckets` seconds each, counted from
/// `start`. With maxAge 60, 3 age buckets and start 1000, the periods are [1000, 1020),
/// [1020, 1040), [1040, 1060), [1060, 1080) and so on. An event belongs to the period its
/// time falls in; a time exactly on a boundary, such as 1020, starts the new period.
///
/// Periods need not be whole seconds, and `maxAge / ageBuckets` need not be exact in binary
/// (maxAge 1 in 3 age buckets). So that every answer agrees at the boundaries, the number
/// of the period `time` falls in is exactly this `Double` expression, numbered from 0 at `start`:
///
///     ((time - start) / (maxAge / Double(ageBuckets))).rounded(.down)
///
/// Compute it like this for every call, never by adding periods up from the last boundary
/// and never by cutting `time` to whole seconds.
///
/// `count(at:)` returns the events of the period `time` falls in plus those of the
/// `ageBuckets − 1` periods before it. Older events are forgotten, one period at a time:
///
///     var window = SlidingWindowCounter(maxAge: 60, ageBuckets: 3, start: 1000)
///     try window.add(2, at: 1005)       // period [1000, 1020)
///     try window.add(3, at: 1025)       // period [1020, 1040)
///     try window.count(at: 1059) == 5   // periods [1000, 1060): both events
///     try window.count(at: 1060) == 3   // periods [1020, 1080): the first period has expired
///     try window.count(at: 1080) == 0   // periods [1040, 1100): both have expired
///
/// Keep one count per age bucket in a ring (an array of `ageBuckets` counts) rather than
/// every event: a summary's quantile streams cannot forget single observations either.
/// When time enters a new period, the bucket that period reuses still holds the counts of
/// a period that has just expired, so empty it before adding to it. After a long quiet
/// gap several periods have passed at once, and each of them empties a bucket. Both
/// `add` and `count` must bring the window up to `time` first. Times never go backwards,
/// and they are never before `start`; several calls may have the same time.
///
/// Check your work with `swift run lesson check 7`.
struct SlidingWindowCounter {
    // TODO: add the stored properties you need, then write init, add and count, deleting each `throw NotAttemptedYet()`.

    /// An empty window of `maxAge` seconds in `ageBuckets` age buckets; its first period begins at `start`.
    init(maxAge: Double, ageBuckets: Int, start: Double) {}

    /// Records `events` events that happened at `time`, in seconds.
    mutating func add(_ events: Int, at time: Double) throws {
        throw NotAttemptedYet()
    }

    /// The number of events the window holds at `time`, in seconds.
    mutating func count(at time: Double) throws -> Int {
        throw NotAttemptedYet()
    }
}
