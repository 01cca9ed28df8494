import Platform
import Instrumentation
import TimeSeries
import PromQL
import WorkbookKit

/// The narrated demo of lesson 7: a summary's quantiles over a sliding window, what the
/// window forgets, and why the quantiles of two instances cannot be averaged.
enum SummariesSlidingWindowsDemo {
    /// When the demo's clock starts (seconds since the epoch): a round number, the same on every run.
    static let startTime = 1_700_000_000.0
    /// The quantiles the summary reports, each with its allowed rank error: the median within
    /// ±5 % of rank, the 0.9 quantile within ±1 %, the 0.99 quantile within ±0.1 %.
    static let objectives = [
        SummaryObjective(quantile: 0.5, error: 0.05),
        SummaryObjective(quantile: 0.9, error: 0.01),
        SummaryObjective(quantile: 0.99, error: 0.001),
    ]
    /// Requests per second in the demo and while `lesson serve` runs.
    static let requestsPerSecond = 4
    /// The labels a scrape of the demo's registry adds to every series.
    static let target = ["job": "lesson7", "instance": "127.0.0.1:3001"]

    /// The histogram's bucket bounds, close together around the slow requests' tail.
    static let latencyBuckets = [0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2.5]

    /// The same requests measured twice, so that the two kinds can be compared side by side;
    /// a real service would pick one.
    struct RequestMetrics {
        /// `api_request_duration_seconds`: quantiles over 10 minutes (600 s), in 5 age buckets of 2 minutes.
        let summary: Summary
        /// `api_request_latency_seconds`: the same durations counted in buckets, for PromQL to aggregate.
        let histogram: Histogram

        /// The lesson's two metrics in `registry`; asking again returns the same ones.
        init(_ registry: Registry) throws {
            summary = try registry.makeSummary(
                name: "api_request_duration_seconds", help: "Time to answer an API request, with quantiles over the last 10 minutes.",
                objectives: SummariesSlidingWindowsDemo.objectives, maxAge: 600, ageBuckets: 5, unit: "seconds")
            histogram = try registry.makeHistogram(
                name: "api_request_latency_seconds", help: "Time to answer an API request, counted in buckets.",
                buckets: SummariesSlidingWindowsDemo.latencyBuckets, unit: "seconds")
        }

        /// Records one request's duration in both.
        func observe(_ seconds: Double) {
            summary.observe(seconds)
            histogram.observe(seconds)
        }
    }

    /// Runs the demo and returns the registry it recorded into.
    static func run(_ narrator: Narrator) throws -> Registry {
        let clock = ManualClock(startTime)
        let registry = Registry(clock: clock)
        try slowThenFast(try RequestMetrics(registry), registry: registry, clock: clock, narrator: narrator)
        try oneRequestForgotten(narrator)
        try quantilesDoNotAverage(narrator)
        return registry
    }

    /// A slow request: at least 0.3 s, 0.44 s typically, with a long tail.
    static func slowLatency(_ random: inout SeededRandom) -> Double {
        0.3 + 0.2 * random.exponential()
    }

    /// A fast request: at least 0.02 s, 0.04 s typically.
    static func fastLatency(_ random: inout SeededRandom) -> Double {
        0.02 + 0.03 * random.exponential()
    }

    /// One second of `lesson serve`: the clock moves on a second and a few requests are
    /// observed, slow for ten minutes and fast for the next ten, over and over, so that a
    /// graph shows the quantiles lagging behind every change.
    static func simulate(_ registry: Registry, tick: Int) throws {
        let metrics = try RequestMetrics(registry)
        (registry.clock as? ManualClock)?.advance(by: 1)
        var random = SeededRandom(seed: 7_000 &+ UInt64(tick))
        let slow = (tick / 600) % 2 == 0
        for _ in 0..<requestsPerSecond {
            metrics.observe(slow ? slowLatency(&random) : fastLatency(&random))
        }
    }

    // MARK: Slow, then fast

    /// What one scrape of the summary said, as PromQL reads it back.
    struct Reading {
        /// Minutes since the demo started.
        let minute: Double
        /// The value exposed for quantile 0.5.
        let median: Double
        /// The value exposed for quantile 0.9.
        let p90: Double
        /// The value exposed for quantile 0.99.
        let p99: Double
        /// histogram_quantile(0.99, rate(_bucket[5m])): the histogram's estimate over the last 5 minutes.
        let histogramP99: Double
        /// rate(_sum[5m]) / rate(_count[5m]): the mean of the last 5 minutes.
        let mean: Double
        /// `_count`: every request since the start.
        let count: Double
    }

    /// Ten minutes of slow requests, then fifteen of fast ones, scraped every 30 seconds.
    private static func slowThenFast(_ metrics: RequestMetrics, registry: Registry, clock: ManualClock, narrator: Narrator) throws {
        let store = SeriesStore()
        let engine = PromQLEngine(store: store)
        var random = SeededRandom(seed: 7)
        var readings: [Reading] = []
        var expositionAtMinuteTen = ""
        let quarterSeconds = 25 * 60 * 4
        for quarter in 0...quarterSeconds {
            let seconds = Double(quarter) / 4
            clock.set(to: startTime + seconds)
            // Every 30 seconds Prometheus would scrape: store what the registry says right now.
            if quarter % 120 == 0 {
                store.ingest(registry.collect(), at: milliseconds(clock.now()), labels: target)
                readings.append(try reading(engine, at: clock.now(), minute: seconds / 60))
                if quarter == 10 * 60 * 4 {
                    expositionAtMinuteTen = ExpositionFormat.prometheus.render(registry.collect().filter { $0.type == .summary })
                }
            }
            guard quarter < quarterSeconds else { break }
            // Four requests a second: slow for the first ten minutes, fast afterwards.
            metrics.observe(seconds < 600 ? slowLatency(&random) : fastLatency(&random))
        }
        narrateTheSummary(expositionAtMinuteTen, narrator)
        narrateTheWindow(readings, narrator)
    }

    /// The summary's quantiles, the histogram's 0.99 quantile and the mean of the last 5 minutes,
    /// and `_count`, read with PromQL.
    private static func reading(_ engine: PromQLEngine, at time: Double, minute: Double) throws -> Reading {
        func value(_ query: String) throws -> Double {
            guard case .vector(let elements) = try engine.evaluate(query, at: milliseconds(time)), let first = elements.first else { return .nan }
            return first.value
        }
        return Reading(
            minute: minute,
            median: try value(#"api_request_duration_seconds{quantile="0.5"}"#),
            p90: try value(#"api_request_duration_seconds{quantile="0.9"}"#),
            p99: try value(#"api_request_duration_seconds{quantile="0.99"}"#),
            histogramP99: try value("histogram_quantile(0.99, rate(api_request_latency_seconds_bucket[5m]))"),
            mean: try value("rate(api_request_duration_seconds_sum[5m]) / rate(api_request_duration_seconds_count[5m])"),
            count: try value("api_request_duration_seconds_count"))
    }

    /// What a scrape of the summary returns, and what each line means.
    private static func narrateTheSummary(_ exposition: String, _ narrator: Narrator) {
        narrator.heading("A summary computes its quantiles in the process")
        narrator.say("""
            For ten minutes, \(requestsPerSecond) requests a second are slow (0.3 s at least). A scrape at minute 10 \
            returns the summary like this:
            """)
        narrator.show(exposition)
        narrator.say("""
            The quantile lines are estimates the process made itself, over a sliding window of the \
            last 10 minutes, each within its allowed rank error: the value reported for 0.5 lies \
            between the true 0.45 and 0.55 quantiles, for 0.9 between 0.89 and 0.91, for 0.99 \
            between 0.989 and 0.991. \
            _sum and _count are counters since the start: they never forget anything.
            """)
    }

    /// The quantiles, the 5-minute mean and `_count` as the window slides past the change.
    private static func narrateTheWindow(_ readings: [Reading], _ narrator: Narrator) {
        narrator.heading("Then the requests get fast: the window forgets one age bucket at a time")
        narrator.say("""
            From minute 10 on, every request is fast (0.04 s typically). The window is 10 minutes in \
            5 age buckets of 2 minutes. Every 2 minutes the oldest bucket is emptied, so the quantiles \
            always describe the last 8 to 10 minutes: the window's start jumps in steps of 2 minutes.
            """)
        narrator.say("""
            In the table, 0.5, 0.9 and 0.99 are the summary's quantiles; "histogram, 5m" is \
            histogram_quantile(0.99, rate(api_request_latency_seconds_bucket[5m])) over the same requests; \
            "mean, 5m" is rate(_sum[5m]) / rate(_count[5m]).
            """)
        // Columns of 8, 13, 8, 8, 8, 14 and 9 characters and the count: 74 of the 76 a shown line may take.
        var table = TerminalChart.padded("minute", 8) + TerminalChart.padded("window since", 13) + TerminalChart.padded("0.5", 8)
            + TerminalChart.padded("0.9", 8) + TerminalChart.padded("0.99", 8) + TerminalChart.padded("histogram, 5m", 14)
            + TerminalChart.padded("mean, 5m", 9) + "_count\n"
        for reading in readings where reading.minute >= 10 && reading.minute.rounded() == reading.minute
            && (reading.minute <= 20 || reading.minute == 25) {
            let since = max(0, 2 * (reading.minute / 2).rounded(.down) - 8)
            table += TerminalChart.padded(formatSampleValue(reading.minute, for: .prometheus), 8)
                + TerminalChart.padded("minute \(formatSampleValue(since, for: .prometheus))", 13)
                + TerminalChart.padded(fixed(reading.median), 8) + TerminalChart.padded(fixed(reading.p90), 8) + TerminalChart.padded(fixed(reading.p99), 8)
                + TerminalChart.padded(fixed(reading.histogramP99), 14) + TerminalChart.padded(fixed(reading.mean), 9) + formatSampleValue(reading.count, for: .prometheus) + "\n"
        }
        narrator.show(table)
        narrator.say("Every 30 seconds for 25 minutes, each line scaled to its own range (a blank: no value yet):")
        let rows: [(String, [Double])] = [
            (#"quantile="0.5""#, readings.map(\.median)),
            (#"quantile="0.99""#, readings.map(\.p99)),
            ("histogram, 5m", readings.map(\.histogramP99)),
            ("mean, 5m", readings.map(\.mean)),
            ("_count", readings.map(\.count)),
        ]
        var chart = TerminalChart.padded("minute", 17) + TerminalChart.ruler(spacing: 10, step: 5, through: 25) + "\n"
        for (label, values) in rows {
            chart += TerminalChart.padded(label, 17) + TerminalChart.sparkline(values) + "\n"
        }
        narrator.show(chart)
        let last = readings[readings.count - 1]
        narrator.say("""
            The median fell between minutes 14 and 16, as fast requests became the majority of the window. \
            The 0.99 quantile stayed slow until minute 18: the tail only changes when the last age \
            bucket holding slow requests is emptied, 8 to 10 minutes after the change. The histogram's \
            0.99 quantile and the mean followed within 5 minutes: their window is the [5m] of the \
            query, chosen when you ask. The histogram pays in precision instead: with fast requests it \
            reads \(fixed(last.histogramP99)) s where the summary reads \(fixed(last.p99)) s, because its bucket (0.1, 0.25] is wide and \
            histogram_quantile interpolates inside it (lesson 6). _count kept climbing all along.
            """)
    }

    // MARK: One request

    /// One request observed at second 19, another at second 20 into a 60-second window in 3 age
    /// buckets: how long each stays in the quantiles.
    private static func oneRequestForgotten(_ narrator: Narrator) throws {
        narrator.heading("What the window forgets: one request at a time")
        narrator.say("""
            A summary with a 60-second window in 3 age buckets of 20 seconds. One request of 0.25 s is \
            observed at second 19 in one summary, and at second 20 in another. Their 0.99 quantile, \
            read every 2 seconds (█ the request is in the window, · NaN, the window is empty):
            """)
        var chart = TerminalChart.padded("second", 18) + TerminalChart.ruler(spacing: 5, step: 10, through: 90) + "\n"
        for observedAt in [19.0, 20.0] {
            let clock = ManualClock(0)
            let summary = try Registry(clock: clock).makeSummary(
                name: "api_request_duration_seconds", help: "Time to answer an API request.",
                objectives: [SummaryObjective(quantile: 0.99, error: 0.001)], maxAge: 60, ageBuckets: 3, unit: "seconds")
            var marks = ""
            for second in stride(from: 0.0, to: 90, by: 2) {
                if second >= observedAt, second - 2 < observedAt {
                    clock.set(to: observedAt)
                    summary.observe(0.25)
                }
                clock.set(to: second)
                marks += summary.snapshot.quantiles[0].value.isNaN ? "·" : "█"
            }
            chart += TerminalChart.padded("observed at \(Int(observedAt)) s", 18) + marks + "  _count \(summary.snapshot.count)\n"
        }
        narrator.show(chart)
        narrator.say("""
            The request at second 19 fell in the period [0, 20) and left with it at second 60: 41 seconds \
            later. The one at second 20 opened the period [20, 40) and stayed 60 seconds. A summary \
            remembers an observation between maxAge − maxAge/ageBuckets and maxAge seconds; _count \
            remembers it for ever.
            """)
    }

    // MARK: Two instances

    /// Two instances of one service, one fast and one slow: their 0.99 quantiles averaged,
    /// against the true 0.99 quantile of all their requests.
    private static func quantilesDoNotAverage(_ narrator: Narrator) throws {
        let store = SeriesStore()
        var random = SeededRandom(seed: 77)
        var everyRequest: [Double] = []
        for (instance, slow) in [("a:8080", false), ("b:8080", true)] {
            let clock = ManualClock(startTime)
            let registry = Registry(clock: clock)
            let metrics = try RequestMetrics(registry)
            store.ingest(registry.collect(), at: milliseconds(startTime), labels: ["job": "checkout", "instance": instance])
            for _ in 0..<5_000 {
                let latency = slow ? slowLatency(&random) : fastLatency(&random)
                metrics.observe(latency)
                everyRequest.append(latency)
            }
            clock.advance(by: 60)
            store.ingest(registry.collect(), at: milliseconds(startTime + 60), labels: ["job": "checkout", "instance": instance])
        }
        let engine = PromQLEngine(store: store)
        let now = milliseconds(startTime + 60)
        func values(_ query: String) throws -> [Double] {
            guard case .vector(let elements) = try engine.evaluate(query, at: now) else { return [] }
            return elements.map(\.value)
        }
        let perInstance = try values(#"api_request_duration_seconds{job="checkout",quantile="0.99"}"#)
        let averaged = try values(#"avg(api_request_duration_seconds{job="checkout",quantile="0.99"})"#)
        let largest = try values(#"max(api_request_duration_seconds{job="checkout",quantile="0.99"})"#)
        let fromBuckets = try values(#"histogram_quantile(0.99, sum by (le) (rate(api_request_latency_seconds_bucket{job="checkout"}[5m])))"#)
        everyRequest.sort()
        // The nearest-rank 0.99 quantile: the value with 99 % of all requests at or below it.
        let trueP99 = everyRequest[(everyRequest.count * 99 + 99) / 100 - 1]

        narrator.heading("Quantiles do not average")
        narrator.say("""
            Two instances of a checkout service, 5000 requests each: instance a is fast, instance b is \
            slow. Each exposes its own summary. Scraped into one store, PromQL can average their 0.99 \
            quantiles, but the answer is not the 0.99 quantile of their requests:
            """)
        narrator.show(TerminalChart.bars([
            (#"p99 of a:8080"#, rounded(perInstance[0])),
            (#"p99 of b:8080"#, rounded(perInstance[1])),
            ("avg(...{quantile=\"0.99\"})", rounded(averaged[0])),
            ("max(...{quantile=\"0.99\"})", rounded(largest[0])),
            ("histogram_quantile(...)", rounded(fromBuckets[0])),
            ("true p99 of all 10000", rounded(trueP99)),
        ]))
        narrator.say("""
            One request in a hundred overall is slower than \(fixed(trueP99)) s; the average claims \(fixed(averaged[0])) s. \
            The slowest 1 % of all requests are b's slowest 2 %, which neither summary reports. No \
            arithmetic on the exposed quantiles can recover it: a quantile is not a sum or a count. \
            Means do combine, because _sum and _count are counters:
            """)
        let query = "sum(rate(api_request_duration_seconds_sum[5m])) / sum(rate(api_request_duration_seconds_count[5m]))"
        let mean = everyRequest.reduce(0, +) / Double(everyRequest.count)
        narrator.show("\(query)\n  = \(fixed(try values(query)[0])) s, the true mean of all 10000 requests: \(fixed(mean)) s")
        narrator.say("""
            Quantiles across instances need a histogram (lessons 5 and 6). Both instances also count the \
            same requests in api_request_latency_seconds buckets; buckets add up, and \
            histogram_quantile(0.99, sum by (le) (rate(api_request_latency_seconds_bucket[5m]))) estimated \
            \(fixed(fromBuckets[0])) s against the true \(fixed(trueP99)) s: off by at most a bucket's width, and \
            for every instance together.
            """)
    }

    // MARK: Formatting

    /// Seconds since the epoch as the store's milliseconds.
    private static func milliseconds(_ seconds: Double) -> Int64 {
        Int64((seconds * 1000).rounded())
    }

    /// A value rounded to 3 decimals, the way the bars print it.
    private static func rounded(_ value: Double) -> Double {
        (value * 1000).rounded() / 1000
    }

    /// A value with exactly 3 decimals (0.440, 1.203), or NaN.
    private static func fixed(_ value: Double) -> String {
        guard value.isFinite else { return formatSampleValue(value, for: .prometheus) }
        let thousandths = Int((value * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

}
