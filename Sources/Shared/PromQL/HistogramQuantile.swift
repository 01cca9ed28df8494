import TimeSeries

/// `histogram_quantile(φ, buckets)`: a quantile estimated from cumulative bucket counts.
///
/// Series are grouped by their labels without `le` (and the metric name); each group is
/// one histogram. The rank φ·count falls into some bucket, and the answer is interpolated
/// linearly inside it, as if observations were spread evenly between its bounds:
/// accurate to the bucket's width, no better. The lowest bucket starts at 0 (unless its
/// bound is not positive); a rank in the `+Inf` bucket returns the highest finite bound.
enum HistogramQuantile {
    private struct Bucket {
        let upperBound: Double
        var count: Double
    }

    static func evaluate(quantile: Double, buckets elements: [VectorElement]) -> [VectorElement] {
        var groups: [LabelSet: [Bucket]] = [:]
        for element in elements {
            guard let bound = Double(element.labels["le"]) else { continue }
            let key = element.labels.removing(["le", LabelSet.metricNameLabel])
            groups[key, default: []].append(Bucket(upperBound: bound, count: element.value))
        }
        return groups.keys.sorted().map { key in
            VectorElement(labels: key, value: value(quantile, groups[key]!))
        }
    }

    private static func value(_ quantile: Double, _ unsorted: [Bucket]) -> Double {
        if quantile.isNaN { return .nan }
        if quantile < 0 { return -.infinity }
        if quantile > 1 { return .infinity }
        var buckets = coalesced(unsorted.sorted { $0.upperBound < $1.upperBound })
        guard let last = buckets.last, last.upperBound == .infinity else { return .nan }
        // Counts scraped at slightly different moments can dip; treat them as never decreasing.
        var maximum = -Double.infinity
        for index in buckets.indices {
            if buckets[index].count > maximum { maximum = buckets[index].count } else if buckets[index].count < maximum { buckets[index].count = maximum }
        }
        guard buckets.count >= 2 else { return .nan }
        let observations = last.count
        guard observations != 0 else { return .nan }
        var rank = quantile * observations
        // The first bucket (among all but +Inf) whose cumulative count reaches the rank.
        let index = buckets.dropLast().firstIndex { $0.count >= rank } ?? buckets.count - 1
        if index == buckets.count - 1 { return buckets[buckets.count - 2].upperBound }
        if index == 0, buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var bucketStart = 0.0
        var count = buckets[index].count
        if index > 0 {
            bucketStart = buckets[index - 1].upperBound
            count -= buckets[index - 1].count
            rank -= buckets[index - 1].count
        }
        return bucketStart + (buckets[index].upperBound - bucketStart) * (rank / count)
    }

    /// Merges buckets with the same bound (the same `le` written two ways, like "1" and "1.0").
    private static func coalesced(_ sorted: [Bucket]) -> [Bucket] {
        var result: [Bucket] = []
        for bucket in sorted {
            if let last = result.last, last.upperBound == bucket.upperBound {
                result[result.count - 1].count += bucket.count
            } else {
                result.append(bucket)
            }
        }
        return result
    }
}
