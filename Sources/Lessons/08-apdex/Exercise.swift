import Lesson08Apdex
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
/// The score is (satisfied + tolerating / 2) / total, computed in `Double` (convert the
/// counts first: in integers, 3 / 2 is 1 and the half is lost). It is 1 when every request
/// was satisfied, 0 when every one was frustrated.
///
/// `upperBounds` are the finite bucket bounds, strictly increasing (they may include 0 and
/// negative numbers). `cumulativeCounts` has one count per bound and then one more, the
/// `+Inf` bucket, which is the total.
///
/// Apply these rules in this order; the first that applies decides:
///
/// 1. If `target` is not greater than 0 (zero, negative or NaN), throw
///    `ApdexThresholdError(threshold: target, upperBounds: upperBounds)`, even when the
///    bounds contain it: T is a time a user waits.
/// 2. If T is not one of the bounds (compared with `==`, exactly), throw
///    `ApdexThresholdError(threshold: target, upperBounds: upperBounds)`.
/// 3. If 4T (`4 * target`) is not one of the bounds, throw it with `threshold: 4 * target`.
///    Multiplying by 4 is exact in floating point, so `4 * 0.3 == 1.2`; a T that is only
///    close to a bound (such as `Double(Float(0.3))`) is not that bound.
/// 4. If there were no requests (the `+Inf` count is 0), return `.nan`, even though the
///    thresholds are fine.
/// 5. Otherwise return the score.
///
///     apdex(upperBounds: [0.1, 0.3, 0.6, 1.2, 2.5], cumulativeCounts: [40, 60, 80, 90, 95, 100], target: 0.3)
///         == 0.75   // 60 satisfied, 90 − 60 = 30 tolerating, 10 frustrated: (60 + 30 / 2) / 100
///     apdex(upperBounds: [0.1, 0.3, 0.6, 1.2, 2.5], cumulativeCounts: [0, 0, 2, 3, 4, 4], target: 0.3)
///         == 0.375  // 3 tolerating: (0 + 3 / 2) / 4
///     apdex(upperBounds: [0.1, 0.3, 0.6, 2.5], cumulativeCounts: [0, 0, 0, 0, 0], target: 0.3)
///         // throws ApdexThresholdError(threshold: 1.2, …): rule 3 comes before rule 4
///
/// Scores are compared within a relative error of 1e-9, so any order of the arithmetic passes.
///
/// Check your work with `swift run lesson check 8`.
func apdex(upperBounds: [Double], cumulativeCounts: [UInt64], target: Double) throws -> Double {
    // TODO: compute the score as described above, then delete the next line.
    throw NotAttemptedYet()
}
