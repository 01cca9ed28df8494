import WorkbookKit

/// Estimates the `q` quantile from cumulative bucket counts, as PromQL's `histogram_quantile` does.
///
/// `upperBounds` are the finite bucket bounds: at least one, positive, strictly increasing.
/// `cumulativeCounts` has one count per bound and then one more, the `+Inf` bucket, which
/// is the number of observations. The counts are non-negative and never decrease along the
/// bounds; they need not be whole numbers (PromQL passes rates, such as 0.35 per second).
///
/// Apply these rules in this order:
///
/// 1. If `q` is NaN return `.nan`; if `q < 0`, `-.infinity`; if `q > 1`, `.infinity`.
///    These come first, even when there are no observations.
/// 2. If there are no observations (the `+Inf` count is 0), return `.nan`.
/// 3. The rank is `q * observations`. Find the first *finite* bucket whose cumulative count
///    is `>=` the rank (`>=`, not `>`: a rank equal to a bucket's count belongs to that bucket).
/// 4. If there is none, the rank is in the `+Inf` bucket: return the highest finite bound,
///    as there is no upper edge to interpolate towards.
/// 5. Otherwise interpolate linearly inside that bucket, as if its observations were spread
///    evenly between its lower edge (the bound below it; 0 for the lowest bucket) and its bound:
///
///        lower + (upper − lower) × (rank − countBelow) / (count − countBelow)
///
///    where `count` is the bucket's cumulative count and `countBelow` the one of the bucket
///    below it (0 for the lowest). Do not special-case anything else: with `q` = 0 and an
///    empty lowest bucket this is 0 × 0 / 0, NaN, and Prometheus answers NaN too.
///
/// Any order of this arithmetic is fine: answers are compared within a relative error of
/// 1e-9 (or rounded to 9 decimal places). Compute in `Double`, not `Float`.
///
///     // le="0.1" 50, le="0.2" 70, le="1" 110, le="+Inf" 120
///     quantile(0.5, upperBounds: [0.1, 0.2, 1], cumulativeCounts: [50, 70, 110, 120])
///         == 0.15    // rank 60: 10 of the 20 between 0.1 and 0.2
///     quantile(0.2, upperBounds: [0.1, 0.2, 1], cumulativeCounts: [50, 70, 110, 120])
///         == 0.048   // rank 24 of the 50 between 0 and 0.1
///     quantile(0.95, upperBounds: [0.1, 0.2, 1], cumulativeCounts: [50, 70, 110, 120])
///         == 1       // rank 114 is in +Inf
///     quantile(2, upperBounds: [0.1, 0.2, 1], cumulativeCounts: [0, 0, 0, 0])
///         == .infinity  // q is checked before the count
///
/// Check your work with `swift run lesson check 6`.
func quantile(_ q: Double, upperBounds: [Double], cumulativeCounts: [Double]) throws -> Double {
    // TODO: estimate the quantile as described above, then delete the next line.
    throw NotAttemptedYet()
}
