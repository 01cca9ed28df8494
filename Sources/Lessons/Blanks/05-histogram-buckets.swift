import WorkbookKit

/// Counts observations into cumulative histogram buckets, the way a scrape exposes them.
///
/// `upperBounds` are the finite bucket bounds, the `le` values, strictly increasing.
/// Return one count per bound and then one more, for the `+Inf` bucket:
///
/// - the count for a bound is the number of observations *less than or equal to* it
///   (`le` is inclusive, so a value exactly on a bound counts in that bucket);
/// - the `+Inf` count is the number of all observations, including values above the
///   last bound and NaN, so it always equals the histogram's `_count`.
///
/// The observations come in any order.
///
///     cumulativeBucketCounts(upperBounds: [0.1, 0.5, 1], observations: [0.05, 0.3, 0.5, 2])
///         == [1, 3, 3, 4]     // le="0.1", le="0.5", le="1", le="+Inf"
///     cumulativeBucketCounts(upperBounds: [0.1, 0.5, 1], observations: [])
///         == [0, 0, 0, 0]
///     cumulativeBucketCounts(upperBounds: [0.1, 0.5, 1], observations: [.nan, 0.7])
///         == [0, 0, 1, 2]
///
/// Check your work with `swift run lesson check 5`.
func cumulativeBucketCounts(upperBounds: [Double], observations: [Double]) throws -> [UInt64] {
    // TODO: count the observations into the buckets as described above, then delete the next line.
    throw NotAttemptedYet()
}
