import Platform

extension LessonInfo {
    /// Lesson 10: an HTTP service in Swift with RED metrics, and a load generator.
    public static let instrumentAService = LessonInfo(
        number: 10, slug: "instrument-a-service", title: "Instrument a service",
        concept: "An HTTP service in Swift with a request counter and a latency histogram (the RED method), and a load generator",
        hint: "Increment inFlight first and decrement it in a defer; read clock.now() before and after the handler; "
            + "record the histogram and the counter in a second defer (or in both the success and the catch path) so a throwing handler is counted as \"500\" too.",
        dashboard: "Requests")
}
