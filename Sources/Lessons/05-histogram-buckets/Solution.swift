
/// The reference answer to `cumulativeBucketCounts` in Exercise.swift. Try the exercise first.
func solutionCumulativeBucketCounts(upperBounds: [Double], observations: [Double]) throws -> [UInt64] {
    // One slot per finite bound, then the +Inf bucket.
    var counts = [UInt64](repeating: 0, count: upperBounds.count + 1)
    for value in observations {
        // Cumulative: a value counts in every bucket whose bound it does not exceed.
        // `<=` because le means "less than or equal"; NaN is not <= anything, so it skips them all.
        for (index, bound) in upperBounds.enumerated() where value <= bound {
            counts[index] += 1
        }
        // The +Inf bucket holds every observation: it is the histogram's _count.
        counts[upperBounds.count] += 1
    }
    return counts
}
