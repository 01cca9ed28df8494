/// `histogram_fraction` over classic histograms: the share of observations between two values,
/// estimated from cumulative `le` buckets (Prometheus 3.4 and later, #16095).
///
/// It is the inverse of `histogram_quantile`: where `histogram_quantile(0.9, …)` answers 0.3 (s),
/// `histogram_fraction(-Inf, 0.3, …)` answers 0.9. A typical use is an SLO: the share of requests
/// that took at most 300 ms is `histogram_fraction(0, 0.3, rate(http_request_duration_seconds_bucket[5m]))`.
/// See https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_fraction
enum HistogramFraction {
    /// The fraction of one histogram's observations that lie between `lower` and `upper`, as
    /// Prometheus's classic-bucket rule computes it.
    ///
    /// The buckets are sorted by bound and buckets with the same bound added up; unlike
    /// `histogram_quantile`, falling counts are used as they are. The total is the +Inf bucket's
    /// count. Inside a bucket the observations are assumed spread evenly, so a bound there
    /// counts the matching share of the bucket. The lowest bucket starts at 0 when its upper
    /// bound is positive and at −Inf otherwise; a bucket reaching to −Inf or +Inf contributes
    /// nothing for a bound inside it, as no share of an endless bucket can be taken.
    ///
    /// NaN without a +Inf bucket, with no observations, or when `lower` or `upper` is NaN;
    /// 0 when `lower >= upper`.
    static func fraction(lower: Double, upper: Double, _ unsorted: [ClassicBucket]) -> Double {
        guard let highest = unsorted.map(\.upperBound).max(), highest == .infinity else { return .nan }
        let buckets = ClassicBucket.sortedAndMerged(unsorted)
        let total = buckets[buckets.count - 1].count
        if total == 0 || lower.isNaN || upper.isNaN { return .nan }
        if lower >= upper { return 0 }
        let lowerRank = min(rank(at: lower, in: buckets) ?? total, total)
        let upperRank = min(rank(at: upper, in: buckets) ?? total, total)
        return (upperRank - lowerRank) / total
    }

    /// How many observations lie below `value`: the cumulative count at the bucket boundary at or
    /// just above it, interpolated when it falls inside a bucket; nil when `value` lies above every
    /// finite boundary and the +Inf bucket cannot place it (the caller takes the total then).
    private static func rank(at value: Double, in buckets: [ClassicBucket]) -> Double? {
        var below = 0.0
        // The lowest bucket's start: 0 for positive-only buckets (durations, sizes), else −Inf.
        var start = buckets[0].upperBound <= 0 ? -Double.infinity : 0
        for (index, bucket) in buckets.enumerated() {
            if index > 0 { start = buckets[index - 1].upperBound }
            if start >= value { return below }
            if value < bucket.upperBound {
                if start == -.infinity { return bucket.count }
                // Linear interpolation: the share of the bucket's width that lies below `value`.
                return below + (bucket.count - below) * (value - start) / (bucket.upperBound - start)
            }
            below = bucket.count
        }
        return nil
    }
}
