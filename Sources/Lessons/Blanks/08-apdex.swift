import WorkbookKit

/// The Apdex score of the requests a latency histogram has counted, for the target time `target` (T, in seconds).
///
/// Apdex puts every request in one of three groups by its latency:
///
/// - satisfied: at most T. That is the cumulative count at the bound T.
/// - tolerating: above T and at most 4T. The count at 4T includes the satisfied ones
///   (buckets are cumulative), so it is the count at 4T minus the count at T.
/// - frustrated: above 4T. Everything else.
///
/// The score is (satisfied + tolerating / 2) / total: 1 when every request was satisfied,
/// 0 when every one was frustrated.
///
/// `upperBounds` are the finite bucket bounds, strictly increasing. `cumulativeCounts` has one
/// count per bound and then one more, the `+Inf` bucket, which is the total.
///
/// - Check the thresholds first. If T is not one of the bounds, throw
///   `ApdexThresholdError(threshold: target, upperBounds: upperBounds)`; if T is one but 4T
///   is not, throw it with `threshold: 4 * target`. (Compare with `==`: multiplying by 4 is
///   exact in floating point, so `4 * 0.3 == 1.2`.)
/// - If there were no requests, return `.nan`.
///
///     apdex(upperBounds: [0.1, 0.3, 0.6, 1.2, 2.5], cumulativeCounts: [40, 60, 80, 90, 95, 100], target: 0.3)
///         == 0.75   // 60 satisfied, 90 − 60 = 30 tolerating, 10 frustrated: (60 + 30 / 2) / 100
///     apdex(upperBounds: [0.1, 0.3, 0.6, 1.2, 2.5], cumulativeCounts: [0, 0, 6, 10, 10, 10], target: 0.3)
///         == 0.5    // all 10 tolerating
///
/// Check your work with `swift run lesson check 8`.
func apdex(upperBounds: [Double], cumulativeCounts: [UInt64], target: Double) throws -> Double {
    // TODO: compute the score as described above, then delete the next line.
    throw NotAttemptedYet()
}
