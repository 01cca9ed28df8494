import Platform

extension LessonInfo {
    /// Lesson 10: an HTTP service in Swift with RED metrics, and a load generator.
    public static let instrumentAService = LessonInfo(
        number: 10, slug: "instrument-a-service", title: "Instrument a service",
        concept: "An HTTP service in Swift with a request counter and a latency histogram (the RED method), and a load generator",
        hint: "Call inFlight.inc() first and inFlight.dec() in a defer (never set(): a handler may call instrument again, and the gauge must "
            + "read 2 then); read clock.now() just before and just after the handler; record the histogram and the counter in a second defer "
            + "(or in both the success and the catch path) so a throwing handler is timed and counted as \"500\" too, then rethrow its error.",
        dashboard: "Requests")
}
