import Instrumentation
import TimeSeries
import WorkbookKit

/// The narrated demo of lesson 1: a small registry, and the text a scrape of it returns.
enum ExpositionDemo {
    static func run(_ narrator: Narrator) throws -> Registry {
        // A manual clock keeps the output the same on every run.
        let registry = Registry(clock: ManualClock(1_700_000_000))

        // A labelled counter: one family, one series per label set.
        let requests = try registry.makeCounterFamily(
            name: "http_requests", help: "HTTP requests served, by method and status code.", labelNames: ["method", "code"])
        try requests.labels("GET", "200").inc(by: 3)
        try requests.labels("POST", "201").inc()
        try requests.labels("GET", "404").inc()

        // A gauge: a value that goes up and down.
        let queue = try registry.makeGauge(name: "queue_length", help: "Jobs waiting in the queue.")
        queue.set(7)
        queue.dec()

        // A histogram: observations counted into buckets by value.
        let latency = try registry.makeHistogram(
            name: "request_duration_seconds", help: "Time to answer a request.", buckets: [0.1, 0.25, 0.5, 1], unit: "seconds")
        for seconds in [0.05, 0.12, 0.3, 0.07, 2.0] { latency.observe(seconds) }

        let prometheusText = ExpositionFormat.prometheus.render(registry.collect())
        narrator.heading("What a scrape returns")
        narrator.say("""
            Prometheus pulls: every few seconds it sends GET /metrics to each target and reads \
            plain text back. This is what this lesson's registry answers, in the Prometheus \
            text format 0.0.4 (Content-Type: \(ExpositionFormat.prometheus.contentType)):
            """)
        narrator.show(prometheusText)
        narrator.say("""
            Each family starts with # HELP (what it means) and # TYPE (counter, gauge, histogram \
            or summary). Every other line is a sample: name, labels in braces, value.
            """)

        narrator.heading("Series identity")
        for line in prometheusText.split(separator: "\n") where line.hasPrefix("http_requests_total{") {
            narrator.show(String(line))
        }
        narrator.say("""
            One family, three series. A series is the name plus its whole label set: changing any \
            label value makes a new series, with its own history in Prometheus. Label order in \
            the text does not matter; the set does.
            """)

        narrator.heading("Escaping")
        let hostile = try registry.makeCounterFamily(
            name: "log_messages", help: "Log messages, by text (a bad idea: see lesson 4).", labelNames: ["text"])
        try hostile.labels("said \"hi\"\nC:\\temp").inc()
        let escapedLine = ExpositionFormat.prometheus.render(registry.collect())
            .split(separator: "\n").first { $0.hasPrefix("log_messages_total{") } ?? ""
        narrator.say("A label value with a double quote, a line feed and a backslash is escaped:")
        narrator.show(String(escapedLine))
        narrator.say("Unescaped, that quote would end the value early, and the whole scrape would fail.")

        narrator.heading("The same registry in OpenMetrics 1.0.0")
        narrator.say("Asked with Accept: application/openmetrics-text, the answer differs in small, strict ways:")
        narrator.show(ExpositionFormat.openmetrics.render(registry.collect()))
        narrator.say("""
            The counter family is named without _total in HELP and TYPE, while its samples keep it; \
            whole numbers are written 3.0; the histogram declares its # UNIT; the body ends with # EOF.
            """)
        return registry
    }
}
