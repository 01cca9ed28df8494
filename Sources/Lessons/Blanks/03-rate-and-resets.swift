import WorkbookKit

/// How much a counter went up over `samples`, its values as scraped in time order,
/// counting through restarts, without extrapolation.
///
/// The samples are a counter's values: finite and never negative. Compare each sample with
/// the one before it:
/// - not lower (higher, or exactly equal): the counter went up by the difference,
///   `current - previous` (0 when equal: an unchanged value is not a restart);
/// - lower, by any amount: the process restarted and its counter began again from zero,
///   so everything the new value holds was counted since the restart: add `current` itself
///   (0 when the restart was scraped at 0). Nothing is added for the value before the fall.
/// With fewer than two samples there is nothing to compare: the answer is 0. The first
/// sample is where counting starts, not an increase, even when it is not 0.
///
///     try counterIncrease([10, 12, 15, 20]) == 10   // no restart: last minus first
///     try counterIncrease([5, 8, 2, 4]) == 7        // 3, then a restart: 2 new, then 2 more
///     try counterIncrease([0, 1, 2, 3, 2, 3, 4]) == 7
///     try counterIncrease([0.5, 1.25, 0.25]) == 1    // values need not be whole numbers
///
/// Compute in `Double`. The checks accept a difference of rounding only (a millionth of a
/// millionth of the samples' total), so adding up in another order is fine.
///
/// Prometheus's increase() does the same counting, and then also extrapolates to the
/// window's edges (see the notes); this function stops at the samples.
///
/// Check your work with `swift run lesson check 3`.
func counterIncrease(_ samples: [Double]) throws -> Double {
    // TODO: add up the increase between each pair of samples, then delete the next line.
    throw NotAttemptedYet()
}
