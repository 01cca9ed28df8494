extension LessonInfo {
    /// Lesson 8: The Apdex score (satisfied + tolerating / 2) / total, from cumulative buckets at T and 4T, in PromQL.
    public static let apdex = LessonInfo(
        number: 8, slug: "apdex", title: "Apdex",
        concept: "The Apdex score (satisfied + tolerating / 2) / total, from cumulative buckets at T and 4T, in PromQL",
        hint: "In this order: throw ApdexThresholdError(threshold: target, …) unless target > 0; find target, then 4 * target, in upperBounds with firstIndex(of:) and throw for the first one missing; "
            + "only then return NaN when the +Inf count is 0. Convert the counts to Double before dividing: satisfied = the count at T, tolerating = the count at 4T minus the count at T, "
            + "and the score is (satisfied + tolerating / 2) / the +Inf count.",
        dashboard: "Apdex")
}
