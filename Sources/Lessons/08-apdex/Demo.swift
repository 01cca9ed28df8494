import Platform
import Instrumentation
import TimeSeries
import PromQL
import WorkbookKit

/// The narrated demo of lesson 8: half an hour of requests with a slowdown in the middle,
/// the Apdex score read from the histogram's buckets, then computed in PromQL over time.
enum ApdexDemo {
    /// The Apdex target T, in seconds: a request within T satisfies, within 4T = 1.2 s it is tolerated.
    static let target = 0.3
    /// The latency histogram's bucket bounds, in seconds: T = 0.3 and 4T = 1.2 are among them,
    /// as they must be. The same bounds as the service of lesson 10.
    static let bounds: [Double] = [0.05, 0.1, 0.3, 0.6, 1.2, 2.5, 5]

    /// The Apdex score over the last five minutes, one series at a time; `ignoring(le)` lets
    /// the two buckets, and then the count, match although their `le` labels differ.
    static let seriesQuery = """
        (rate(http_request_duration_seconds_bucket{le="0.3"}[5m]) + ignoring(le) rate(http_request_duration_seconds_bucket{le="1.2"}[5m])) / 2 / ignoring(le) rate(http_request_duration_seconds_count[5m])
        """
    /// The same score in the form of the Prometheus docs, summed over every series of each job.
    static let docsQuery = """
        (sum(rate(http_request_duration_seconds_bucket{le="0.3"}[5m])) by (job) + sum(rate(http_request_duration_seconds_bucket{le="1.2"}[5m])) by (job)) / 2 / sum(rate(http_request_duration_seconds_count[5m])) by (job)
        """

    /// The time the demo starts, in seconds since the epoch.
    private static let start = 1_700_000_000
    /// Half an hour of traffic, in seconds.
    private static let duration = 1800
    /// The slowdown: from minute 12 to minute 18.
    private static let slowdown = 720..<1080

    /// The request latency histogram. Asking the registry again with this same definition
    /// returns the same histogram, which is how `simulate` finds it.
    static func latencyHistogram(in registry: Registry) throws -> Histogram {
        try registry.makeHistogram(
            name: "http_request_duration_seconds", help: "Time taken to answer an HTTP request.", buckets: bounds, unit: "seconds")
    }

    /// One request's latency in seconds: about 100 ms normally; during a slowdown about 350 ms, often more.
    static func latency(slow: Bool, _ random: inout SeededRandom) -> Double {
        slow ? 0.1 + 0.35 * random.exponential() : 0.04 + 0.08 * random.exponential()
    }

    /// Runs the demo and returns its registry: the latency histogram after half an hour.
    static func run(_ narrator: Narrator) throws -> Registry {
        let clock = ManualClock(Double(start))
        let registry = Registry(clock: clock)
        let store = try runTraffic(registry, clock: clock)
        let engine = PromQLEngine(store: store)
        showTheThreeGroups(try latencyHistogram(in: registry).snapshot, narrator)
        try showThePromQLScore(engine, narrator)
        try showTheScoreOverTime(engine, narrator)
        return registry
    }

    /// Keeps the histogram moving while `lesson serve 8` exposes it: 10 requests a second, slow
    /// for 3 minutes in every 15, so the Apdex dashboard shows the score dip and recover.
    static func simulate(_ registry: Registry, tick: Int) throws {
        var random = SeededRandom(seed: 0x0800_0000 &+ UInt64(truncatingIfNeeded: tick))
        let histogram = try latencyHistogram(in: registry)
        let slow = tick % 900 >= 720
        for _ in 0..<10 { histogram.observe(latency(slow: slow, &random)) }
    }

    // MARK: Traffic

    /// Half an hour of requests, 10 a second, slow from minute 12 to 18; scraped every 15 seconds.
    private static func runTraffic(_ registry: Registry, clock: ManualClock) throws -> SeriesStore {
        let histogram = try latencyHistogram(in: registry)
        let store = SeriesStore()
        var random = SeededRandom(seed: 8)
        for second in 0...duration {
            clock.set(to: Double(start + second))
            if second > 0 {
                for _ in 0..<10 { histogram.observe(latency(slow: slowdown.contains(second), &random)) }
            }
            if second % 15 == 0 {
                store.ingest(registry.collect(), at: milliseconds(second), labels: ["job": "checkout", "instance": "checkout:8080"])
            }
        }
        return store
    }

    // MARK: The sections

    /// Reads satisfied, tolerating and frustrated off the buckets of the whole half hour, and scores them.
    private static func showTheThreeGroups(_ histogram: HistogramSnapshot, _ narrator: Narrator) {
        narrator.heading("Satisfied, tolerating, frustrated")
        narrator.say("""
            Half an hour of requests to a checkout service, 10 a second; from minute 12 to 18 it slows \
            down. Its latency histogram has a bound at T = 0.3 s, the time we promise, and at \
            4T = 1.2 s. The buckets after the half hour:
            """)
        narrator.show(TerminalChart.bucketLadder(histogram))
        guard let atT = bounds.firstIndex(of: target), let atFourT = bounds.firstIndex(of: 4 * target) else { return }
        let satisfied = histogram.cumulativeCounts[atT]
        let tolerating = histogram.cumulativeCounts[atFourT] - satisfied
        let frustrated = histogram.count - histogram.cumulativeCounts[atFourT]
        let score = (Double(satisfied) + Double(tolerating) / 2) / Double(histogram.count)
        narrator.show("""
            satisfied   le="0.3"                    \(satisfied)
            tolerating  le="1.2" − le="0.3"         \(histogram.cumulativeCounts[atFourT]) − \(satisfied) = \(tolerating)
            frustrated  le="+Inf" − le="1.2"        \(histogram.count) − \(histogram.cumulativeCounts[atFourT]) = \(frustrated)
            """)
        narrator.show("""
            Apdex = (satisfied + tolerating / 2) / total
                  = (\(satisfied) + \(tolerating) / 2) / \(histogram.count) = \(shown(score))
            """)
        narrator.say("""
            Because the buckets are cumulative, le="1.2" counts the satisfied requests too: subtract \
            them to get the tolerating ones, or add the two buckets and halve the sum, which is the \
            same thing. This score covers every request since the process started, so six slow \
            minutes are diluted by twenty-four good ones. To see the slowdown, score a window.
            """)
    }

    /// Evaluates the Apdex queries at the end of the half hour and in the middle of the slowdown.
    private static func showThePromQLScore(_ engine: PromQLEngine, _ narrator: Narrator) throws {
        narrator.heading("The score in PromQL")
        narrator.say("""
            In PromQL, rate() turns each bucket counter into requests per second over the last five \
            minutes, and the score becomes (le="0.3" + le="1.2") / 2 / count:
            """)
        var answers = ["> " + seriesQuery]
        for minute in [30, 18] {
            answers.append("at minute \(minute):  " + describe(try engine.evaluate(seriesQuery, at: milliseconds(60 * minute))))
        }
        narrator.show(answers.joined(separator: "\n"))
        narrator.say("""
            ignoring(le) is needed because the three operands differ in their le label (the count has \
            none), and vector arithmetic matches series by their labels. The Prometheus docs write it \
            with sum by (job), which adds up every series of a job first: all instances, all routes.
            """)
        narrator.show("> " + docsQuery + "\nat minute 18:  " + describe(try engine.evaluate(docsQuery, at: milliseconds(60 * 18))))
    }

    /// Evaluates the score once a minute and draws it as a sparkline against a target of 0.9.
    private static func showTheScoreOverTime(_ engine: PromQLEngine, _ narrator: Narrator) throws {
        narrator.heading("Apdex over time")
        let minutes = Array(5...(duration / 60))
        let scores = try minutes.map { minute -> Double in
            guard case .vector(let answer) = try engine.evaluate(seriesQuery, at: milliseconds(60 * minute)) else { return .nan }
            return answer.first?.value ?? .nan
        }
        let objective = 0.9
        let below = zip(minutes, scores).filter { $0.1 < objective }.map(\.0)
        let worst = zip(minutes, scores).min { $0.1 < $1.1 }
        narrator.say("The query evaluated once a minute, from minute 5 (the first full window) to minute 30:")
        narrator.show("""
            minute     \(minutes.map { $0 % 5 == 0 ? String($0).padding(to: 5) : "" }.joined().trimmingTrailingSpaces())
            score      \(TerminalChart.sparkline(scores))
            below 0.9  \(String(scores.map { $0 < objective ? "^" : " " }).trimmingTrailingSpaces())
            """)
        narrator.say("""
            The score sits near \(shown(scores[0])) while the service is healthy. From minute \(below.first ?? 0) to minute \(below.last ?? 0) \
            it is under the 0.9 target, lowest at minute \(worst?.0 ?? 0) with \(shown(worst?.1 ?? .nan)). It falls as slow requests \
            fill the five-minute window, and recovers only once they have left it: a window smooths \
            and delays. One number from 0 to 1 that everyone reads the same way makes Apdex a handy \
            target to alert on.
            """)
    }

    // MARK: Formatting

    /// A query's answer, one series per line, as the Prometheus console lists it.
    private static func describe(_ value: PromQLValue) -> String {
        guard case .vector(let elements) = value else { return "\(value)" }
        if elements.isEmpty { return "(empty: no series)" }
        return elements.map { "\($0.labels)  \(shown($0.value))" }.joined(separator: "\n")
    }

    /// A score rounded to 3 decimal places, written as the exposition writes numbers.
    private static func shown(_ value: Double) -> String {
        formatSampleValue((value * 1000).rounded() / 1000, for: .prometheus)
    }

    /// The demo's time `second` seconds after its start, in milliseconds since the epoch.
    private static func milliseconds(_ second: Int) -> Int64 {
        Int64(start + second) * 1000
    }
}

extension String {
    /// The text followed by spaces up to `width` characters.
    fileprivate func padding(to width: Int) -> String {
        self + String(repeating: " ", count: max(width - count, 0))
    }

    /// The text without the spaces at its end.
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
