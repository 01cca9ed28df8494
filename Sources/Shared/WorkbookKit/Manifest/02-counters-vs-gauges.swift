extension LessonInfo {
    /// Lesson 2: A counter only goes up (or resets on restart); a gauge goes up and down; which one to use for what.
    public static let countersVsGauges = LessonInfo(
        number: 2, slug: "counters-vs-gauges", title: "Counters and gauges",
        concept: "A counter only goes up (or resets on restart); a gauge goes up and down; which one to use for what",
        hint: "Ask of each signal whether its value can fall while the process keeps running: if it can, it is a gauge; "
            + "a running total of events or of amounts (bytes, CPU seconds) is a counter. "
            + "Only going up is not enough to make a counter: a timestamp moves forward but counts nothing.",
        dashboard: "Counters vs gauges")
}
