extension LessonInfo {
    /// Lesson 3: rate() and increase() over scraped samples: counter resets after a restart, extrapolation at the window's edges.
    public static let rateAndResets = LessonInfo(
        number: 3, slug: "rate-and-resets", title: "Rates and counter resets",
        concept: "rate() and increase() over scraped samples: counter resets after a restart, extrapolation at the window's edges",
        hint: "Walk the samples in pairs with zip(samples, samples.dropFirst()): add current - previous when the value did not fall; "
            + "when it fell (current < previous, by any amount), the counter restarted from zero, so add the current value itself. "
            + "Equal values are not a restart. An empty list or a single sample gives 0; the first sample itself is never added.",
        dashboard: "Counters vs gauges")
}
