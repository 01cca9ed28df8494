import Instrumentation

extension LessonInfo {
    /// Lesson 5: Observations counted in cumulative buckets: le as an inclusive upper bound, +Inf, _sum and _count, choosing bounds.
    public static let histogramBuckets = LessonInfo(
        number: 5, slug: "histogram-buckets", title: "Histogram buckets",
        concept: "Observations counted in cumulative buckets: le as an inclusive upper bound, +Inf, _sum and _count, choosing bounds",
        hint: "Start from upperBounds.count + 1 zeros. For each observation add 1 at every index whose bound it is <= (not <), "
            + "and always add 1 at the last index, the +Inf bucket, so NaN, +Inf and values above the last bound are counted there too (with no bounds it is the only count). "
            + "Compare with <= on the Double values as given: no rounding, no Float.",
        dashboard: "Histograms")
}
