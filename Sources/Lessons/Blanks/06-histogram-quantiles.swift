import WorkbookKit

/// Estimates the `q` quantile from cumulative bucket counts, as PromQL's `histogram_quantile` does.
///
/// `upperBounds` are the finite bucket bounds (positive, strictly increasing).
/// `cumulativeCounts` has one count per bound and then one more, the `+Inf` bucket, which
/// is the number of observations; the counts never decrease.
///
/// 1. If `q` is below 0 return `-.infinity`; above 1, `.infinity`; NaN, `.nan`.
/// 2. If there are no observations (the `+Inf` count is 0), return `.nan`.
/// 3. The rank is `q * observations`. Find the first bucket whose cumulative count is at
///    least the rank.
/// 4. If that is the `+Inf` bucket, return the highest finite bound: there is no upper
///    edge to interpolate towards.
/// 5. Otherwise interpolate linearly inside the bucket, as if its observations were spread
///    evenly between its lower edge (the bound below it; 0 for the lowest bucket) and its
///    bound: lower edge + bucket width × (rank − count below the bucket) / count in the bucket.
///
///     // le="0.1" 50, le="0.2" 70, le="1" 110, le="+Inf" 120
///     quantile(0.5, upperBounds: [0.1, 0.2, 1], cumulativeCounts: [50, 70, 110, 120])
///         == 0.15    // rank 60: 10 of the 20 between 0.1 and 0.2
///     quantile(0.2, upperBounds: [0.1, 0.2, 1], cumulativeCounts: [50, 70, 110, 120])
///         == 0.048   // rank 24 of the 50 between 0 and 0.1
///     quantile(0.95, upperBounds: [0.1, 0.2, 1], cumulativeCounts: [50, 70, 110, 120])
///         == 1       // rank 114 is in +Inf
///
/// Check your work with `swift run lesson check 6`.
func quantile(_ q: Double, upperBounds: [Double], cumulativeCounts: [Double]) throws -> Double {
    // TODO: estimate the quantile as described above, then delete the next line.
    throw NotAttemptedYet()
}
