import Instrumentation

extension LessonInfo {
    /// Lesson 7: Quantiles computed in the client over a sliding time window, what the window forgets, and why they cannot be aggregated.
    public static let summariesSlidingWindows = LessonInfo(
        number: 7, slug: "summaries-sliding-windows", title: "Summaries and sliding windows",
        concept: "Quantiles computed in the client over a sliding time window, what the window forgets, and why they cannot be aggregated",
        hint: "Keep an array of ageBuckets counts and the newest period number; a time's period is Int(((time - start) / (maxAge / Double(ageBuckets))).rounded(.down)). "
            + "In add and count, first zero the bucket of each period from newest + 1 up to the current one (at most ageBuckets of them), then add to buckets[period % ageBuckets] or return their sum.",
        dashboard: "Summary vs histogram")
}
