/// One bucket of a classic histogram, as the `_bucket` series with an `le` label carries it:
/// the bucket's upper bound (inclusive) and the cumulative count of observations up to it.
///
/// `histogram_quantile` and `histogram_fraction` read classic histograms as lists of these,
/// one list per label set without `le`.
struct ClassicBucket {
    let upperBound: Double
    var count: Double

    /// `buckets` sorted by upper bound, with buckets of the same bound added up into one (two
    /// `le` spellings such as "1" and "1.0" name the same bound).
    static func sortedAndMerged(_ buckets: [ClassicBucket]) -> [ClassicBucket] {
        var merged: [ClassicBucket] = []
        for bucket in buckets.sorted(by: { $0.upperBound < $1.upperBound }) {
            if let last = merged.last, last.upperBound == bucket.upperBound {
                merged[merged.count - 1].count += bucket.count
            } else {
                merged.append(bucket)
            }
        }
        return merged
    }
}
