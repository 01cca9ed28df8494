import WorkbookKit

/// How much a counter went up over `samples`, its values as scraped in time order,
/// counting through restarts, without extrapolation.
///
/// Compare each sample with the one before it. If the value did not fall, the counter went
/// up by the difference. If it fell, the process restarted and its counter began again from
/// zero, so everything the new value holds was counted since the restart: add the new value
/// itself. With fewer than two samples there is nothing to compare: the answer is 0.
///
///     try counterIncrease([10, 12, 15, 20]) == 10   // no restart: last minus first
///     try counterIncrease([5, 8, 2, 4]) == 7        // 3, then a restart: 2 new, then 2 more
///     try counterIncrease([0, 1, 2, 3, 2, 3, 4]) == 7
///
/// Prometheus's increase() does the same counting, and then also extrapolates to the
/// window's edges (see the notes); this function stops at the samples.
///
/// Check your work with `swift run lesson check 3`.
func counterIncrease(_ samples: [Double]) throws -> Double {
    // TODO: add up the increase between each pair of samples, then delete the next line.
    throw NotAttemptedYet()
}
