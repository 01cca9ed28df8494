extension LessonInfo {
    /// Lesson 6: histogram_quantile: linear interpolation inside a bucket, its error, and aggregating histograms across instances.
    public static let histogramQuantiles = LessonInfo(
        number: 6, slug: "histogram-quantiles", title: "Quantiles from buckets",
        concept: "histogram_quantile: linear interpolation inside a bucket, its error, and aggregating histograms across instances",
        hint: "First q: NaN gives NaN, below 0 -Inf, above 1 +Inf; then a +Inf count of 0 gives NaN. Then rank = q × the +Inf count; take the first finite bucket whose count is >= rank "
            + "(none: return the last finite bound) and return lower + (upper − lower) × (rank − countBelow) / (count − countBelow), where lower and countBelow are 0 for the first bucket. "
            + "Convert nothing to Float or Int, and add no other special case.",
        dashboard: "Histograms")
}
