import WorkbookKit

/// Counts observations into cumulative histogram buckets, the way a scrape exposes them.
///
/// `upperBounds` are the finite bucket bounds, the `le` values: strictly increasing, any
/// finite numbers (zero and negative bounds included), possibly none at all.
/// `observations` are any `Double` values, in any order: NaN, `+infinity` and
/// `-infinity` included.
///
/// Return `upperBounds.count + 1` counts: one per bound, in the order of the bounds, and
/// then one more, for the `+Inf` bucket:
///
/// - the count for a bound `b` is the number of observations `v` with `v <= b` in
///   Swift's `Double` comparison (`le` is inclusive, so a value exactly on a bound counts
///   in that bucket). NaN is not `<=` anything, so it is in no finite bucket; `-infinity`
///   is in every one; `+infinity` is in none;
/// - the `+Inf` count is the number of all observations, NaN and values above the last
///   bound included, so it always equals the histogram's `_count`. With no finite bounds
///   it is the only count.
///
/// Compare the `Double` values as they are: do not round them or convert them to `Float`.
///
///     cumulativeBucketCounts(upperBounds: [0.1, 0.5, 1], observations: [0.05, 0.3, 0.5, 2])
///         == [1, 3, 3, 4]     // le="0.1", le="0.5", le="1", le="+Inf"
///     cumulativeBucketCounts(upperBounds: [0.1, 0.5, 1], observations: [])
///         == [0, 0, 0, 0]
///     cumulativeBucketCounts(upperBounds: [0.1, 0.5, 1], observations: [.nan, 0.7, -.infinity])
///         == [1, 1, 2, 3]
///     cumulativeBucketCounts(upperBounds: [], observations: [0.2, .nan])
///         == [2]              // only le="+Inf"
///
/// Check your work with `swift run lesson check 5`.
func cumulativeBucketCounts(upperBounds: [Double], observations: [Double]) throws -> [UInt64] {
    // TODO: count the observations into the buckets as described above, then delete the next line.
    throw NotAttemptedYet()
}
