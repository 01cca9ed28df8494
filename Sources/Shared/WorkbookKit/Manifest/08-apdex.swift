extension LessonInfo {
    /// Lesson 8: The Apdex score (satisfied + tolerating / 2) / total, from cumulative buckets at T and 4T, in PromQL.
    public static let apdex = LessonInfo(
        number: 8, slug: "apdex", title: "Apdex",
        concept: "The Apdex score (satisfied + tolerating / 2) / total, from cumulative buckets at T and 4T, in PromQL",
        hint: "Find target and 4 * target in upperBounds with firstIndex(of:) and throw ApdexThresholdError for the first one missing. "
            + "Then satisfied = the count at T, tolerating = the count at 4T minus the count at T, and the score is (satisfied + tolerating / 2) / the +Inf count (NaN when it is 0).",
        dashboard: "Apdex")
}
