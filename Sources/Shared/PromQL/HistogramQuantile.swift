import TimeSeries

/// `histogram_quantile` over classic histograms: the φ-quantile from cumulative `le` buckets.
enum HistogramQuantile {
    /// The φ-quantile of one histogram's buckets, interpolated linearly inside the bucket the
    /// rank falls in, as Prometheus computes it.
    ///
    /// The buckets are sorted by bound, buckets with the same bound are added up, and counts
    /// that fall (which a scrape racing an observation can produce) are raised to the largest
    /// count before them; only then is the total (the +Inf bucket) taken. NaN without a +Inf
    /// bucket, with fewer than two buckets, or with no observations; −Inf for φ < 0, +Inf for φ > 1.
    static func quantile(_ phi: Double, _ unsorted: [ClassicBucket]) -> Double {
        if phi.isNaN { return .nan }
        if phi < 0 { return -.infinity }
        if phi > 1 { return .infinity }
        var buckets = ClassicBucket.sortedAndMerged(unsorted)
        guard let last = buckets.last, last.upperBound == .infinity else { return .nan }
        var highest = -Double.infinity
        for index in buckets.indices {
            if buckets[index].count > highest {
                highest = buckets[index].count
            } else if buckets[index].count < highest {
                buckets[index].count = highest
            }
        }
        guard buckets.count >= 2 else { return .nan }
        let observations = buckets[buckets.count - 1].count
        guard observations > 0 else { return .nan }
        var rank = phi * observations
        var index = 0
        while index < buckets.count - 1, buckets[index].count < rank { index += 1 }
        if index == buckets.count - 1 { return buckets[buckets.count - 2].upperBound }
        if index == 0, buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var start = 0.0
        var count = buckets[index].count
        if index > 0 {
            start = buckets[index - 1].upperBound
            count -= buckets[index - 1].count
            rank -= buckets[index - 1].count
        }
        return start + (buckets[index].upperBound - start) * (rank / count)
    }
}
