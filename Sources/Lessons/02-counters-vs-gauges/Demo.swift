import Platform
import Instrumentation
import TimeSeries
import PromQL
import WorkbookKit

/// The narrated demo of lesson 2: a worker's counters and gauges over a minute, a restart,
/// and what `increase()` makes of a gauge that was mistaken for a counter.
enum CountersVsGaugesDemo {
    /// When the demo starts, in seconds since the epoch.
    static let startSeconds = 1_700_000_000.0
    /// How long the demo's worker runs, in seconds.
    static let duration = 60
    /// The seconds in which more requests arrive than the worker can take.
    static let busySpell = 15..<30
    /// How often the demo's Prometheus scrapes the worker, in seconds.
    static let scrapeInterval = 5
    /// The labels Prometheus would add to every series it scrapes from the worker.
    static let target = ["job": "worker", "instance": "worker-1:8080"]

    /// Runs the demo, narrating through `narrator`, and returns the worker's registry.
    static func run(_ narrator: Narrator) throws -> Registry {
        let clock = ManualClock(startSeconds)
        let registry = Registry(clock: clock)
        let store = SeriesStore()
        let history = try runWorker(registry, clock: clock, store: store)

        showHistory(history, narrator)
        try showRestart(after: history, clock: clock, narrator)
        try showGaugeAsCounter(store, narrator)
        showCost(narrator)
        return registry
    }

    /// Keeps the worker going while `lesson serve 2` runs: called once a second with a tick from 0.
    static func simulate(_ registry: Registry, tick: Int) throws {
        var random = SeededRandom(seed: 0x2C0_0000 + UInt64(tick))
        // A busy spell of 20 seconds every two minutes: watch the queue grow, then drain.
        let arrivals = Worker.arrivalsPerSecond(atSecond: tick % 120, busy: 60..<80)
        try Worker(registry: registry).runOneSecond(arrivalsPerSecond: arrivals, random: &random)
    }

    // MARK: The worker's minute

    /// Every metric's value after each second, in the order the demo shows them.
    struct History {
        /// One row per metric: its name on the wire, its type, and its value after each second.
        var rows: [(name: String, kind: MetricKind, values: [Double])]

        /// The values of the metric called `name`, one per second.
        func values(of name: String) -> [Double] {
            rows.first { $0.name == name }?.values ?? []
        }
    }

    /// Runs the worker for `duration` seconds, scraping it into `store` every `scrapeInterval`.
    static func runWorker(_ registry: Registry, clock: ManualClock, store: SeriesStore) throws -> History {
        let worker = try Worker(registry: registry)
        worker.temperature.set(Worker.idleTemperature)
        let watched: [(name: String, kind: MetricKind, read: () -> Double)] = [
            ("worker_requests_total", .counter, { worker.requests.value }),
            ("worker_errors_total", .counter, { worker.errors.value }),
            ("worker_queue_length", .gauge, { worker.queueLength.value }),
            ("worker_requests_in_flight", .gauge, { worker.inFlight.value }),
            ("worker_cpu_temperature_celsius", .gauge, { worker.temperature.value }),
        ]
        var history = History(rows: watched.map { ($0.name, $0.kind, []) })
        var random = SeededRandom(seed: 2)
        scrape(registry, at: clock, into: store)
        for second in 1...duration {
            clock.advance(by: 1)
            worker.runOneSecond(arrivalsPerSecond: Worker.arrivalsPerSecond(atSecond: second, busy: busySpell), random: &random)
            for index in watched.indices { history.rows[index].values.append(watched[index].read()) }
            if second % scrapeInterval == 0 { scrape(registry, at: clock, into: store) }
        }
        return history
    }

    /// What one scrape of `registry` at the clock's time would store.
    static func scrape(_ registry: Registry, at clock: ManualClock, into store: SeriesStore) {
        store.ingest(registry.collect(), at: Int64(clock.now() * 1000), labels: target)
    }

    /// Every metric's minute as a sparkline, with how often it fell.
    static func showHistory(_ history: History, _ narrator: Narrator) {
        narrator.heading("A minute of a worker")
        narrator.say("""
            A worker takes requests from a queue, four per second at most. Between seconds \(busySpell.lowerBound) \
            and \(busySpell.upperBound) more arrive than it can handle. Each metric after every second, one \
            character per second, from ▁ (its lowest) to █ (its highest):
            """)
        var block = ""
        for row in history.rows {
            let falls = zip(row.values, row.values.dropFirst()).filter { $0.1 < $0.0 }.count
            let range = "\(shown(row.values.min() ?? 0)) to \(shown(row.values.max() ?? 0))"
            block += "\(row.name) (\(row.kind)): \(range), " + (falls == 0 ? "never fell\n" : "fell \(falls) times\n")
            block += "  " + TerminalChart.sparkline(row.values) + "\n"
        }
        narrator.show(block)
        narrator.say("""
            The counters only climb: each finished request or error adds to them, and nothing \
            takes away. The gauges go both ways: the queue fills during the busy spell and \
            drains after it, in-flight requests come and go, the CPU warms and cools.
            """)
    }

    // MARK: A restart

    /// Restarts the worker (a new registry) and shows its request counter starting again from zero.
    static func showRestart(after history: History, clock: ManualClock, _ narrator: Narrator) throws {
        // A restart is a new process: a fresh registry, every counter back at zero.
        let restarted = Registry(clock: clock)
        let worker = try Worker(registry: restarted)
        worker.temperature.set(history.values(of: "worker_cpu_temperature_celsius").last ?? Worker.idleTemperature)
        var random = SeededRandom(seed: 3)
        var after: [Double] = []
        for second in 1...20 {
            worker.runOneSecond(arrivalsPerSecond: 2.5, random: &random)
            if second % scrapeInterval == 0 { after.append(worker.requests.value) }
        }
        let before = stride(from: scrapeInterval - 1, to: duration, by: scrapeInterval).map { history.values(of: "worker_requests_total")[$0] }

        narrator.heading("A counter restarts from zero")
        narrator.say("The worker is restarted. worker_requests_total as Prometheus scrapes it, every \(scrapeInterval) s:")
        narrator.show("""
            before: \(before.map(shown).joined(separator: " "))
            after:  \(after.map(shown).joined(separator: " "))
            \(TerminalChart.sparkline(before + after))
            """)
        narrator.say("""
            The count lives in the process's memory, so a new process starts again at 0. That is \
            the one fall a counter is allowed, and PromQL's rate() and increase() expect it: a \
            sample lower than the one before means "restarted", and the counting carries on from \
            zero (lesson 3). It also means the raw value is rarely what you want: it counts since \
            whenever the process last started.
            """)
    }

    // MARK: The wrong type

    /// Asks `increase()` about the queue length, as if it were a counter, next to `delta()` and `max_over_time()`.
    static func showGaugeAsCounter(_ store: SeriesStore, _ narrator: Narrator) throws {
        let engine = PromQLEngine(store: store)
        let now = Int64((startSeconds + Double(duration)) * 1000)
        // The samples a one-minute range at `now` holds: (now − 1m, now], left-open as in Prometheus 3.
        let samples = store.select([try LabelMatcher("__name__", .equal, "worker_queue_length")], from: now - 60_000 + 1, through: now)
            .first?.samples.map(\.value) ?? []
        narrator.heading("A counter for something that goes down")
        narrator.say("""
            Prometheus stored worker_queue_length every \(scrapeInterval) s; the last minute holds:
            """)
        narrator.show(samples.map(shown).joined(separator: " "))
        narrator.say("""
            Suppose it had been exposed as a counter, and someone asked how much the queue grew \
            with increase(), which is meant for counters. PromQL does not check types: it applies \
            the counter rules, and every fall looks like a restart. At the end of the minute:
            """)
        var block = ""
        for query in ["increase(worker_queue_length[1m])", "delta(worker_queue_length[1m])", "max_over_time(worker_queue_length[1m])"] {
            guard case .vector(let elements) = try engine.evaluate(query, at: now), let value = elements.first?.value else { continue }
            block += query.padding(to: 40) + shown(value) + "\n"
        }
        narrator.show(block)
        narrator.say("""
            increase() adds back the value before every fall, as if the queue had restarted from \
            zero there, and reports a growth that never happened. delta(), the gauge function, \
            gives the net change (from \(shown(samples.first ?? 0)) to \(shown(samples.last ?? 0)), stretched a little to the \
            whole minute); max_over_time() the worst moment. \
            A gauge is read as it is, or summarised over time; only counters get rate().
            """)
    }

    // MARK: Cost

    /// What recording a counter or a gauge costs, and where the measured figures come from.
    static func showCost(_ narrator: Narrator) {
        narrator.heading("What recording costs")
        narrator.say("""
            Instrumentation sits on the hot path, so it must be cheap. In this engine:
              counter.inc()   one relaxed atomic add on an integer: a few nanoseconds
              gauge.set(x)    one atomic store of the Double's bits
              gauge.add(x)    a compare-and-swap loop on those bits, usually one round
            No locks, no allocation, no I/O: the work of turning numbers into text happens \
            only when Prometheus scrapes. The measured figures come from the benchmark package:
              swift package --package-path Benchmarks benchmark
            """)
    }

    /// A value as the exposition writes it, rounded to one decimal for reading.
    static func shown(_ value: Double) -> String {
        formatSampleValue((value * 10).rounded() / 10, for: .prometheus)
    }
}

// String padding for the demo's columns.
extension String {
    /// The string followed by spaces up to `width` characters (never cut).
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
