import Instrumentation
import TimeSeries
import PromQL
import WorkbookKit

/// The narrated demo of lesson 3: a counter scraped every 15 s, a restart in the middle,
/// and what the raw value, a naive difference, `increase`, `rate` and `irate` make of it.
enum RateAndResetsDemo {
    /// When the first process starts, in seconds since the epoch.
    static let startSeconds: Int64 = 1_700_000_000
    /// The scrape interval, as in most Prometheus setups.
    static let scrapeInterval = 15
    /// When the first process dies: 6m10s after the start.
    static let crashSecond = 370
    /// When the second process starts, its counter at zero: 6m12s.
    static let restartSecond = 372
    /// When the demo ends and asks its questions: 10m00s.
    static let endSecond = 600
    /// The labels Prometheus would add to every series it scrapes from the shop.
    static let target = ["job": "shop", "instance": "shop-1:8080"]
    /// The counter's name on the wire, as queries use it.
    static let counterName = "shop_orders_total"

    /// Runs the demo, narrating through `narrator`, and returns the registry of the process running at the end.
    static func run(_ narrator: Narrator) throws -> Registry {
        let store = SeriesStore()
        let run = try runShop(scrapingInto: store)
        let engine = PromQLEngine(store: store)

        try showRawSamples(store, narrator)
        try showWindow(engine, store, ordersTaken: run.ordersTaken, narrator)
        try showRateOverTime(engine, narrator)
        try showExtrapolation(engine, store, narrator)
        try showTextbookExample(narrator)
        return run.registry
    }

    /// Keeps orders coming while `lesson serve 3` runs: called once a second with a tick from 0.
    static func simulate(_ registry: Registry, tick: Int) throws {
        var random = SeededRandom(seed: 0x3A7E_0000 + UInt64(tick))
        try orders(in: registry).inc(by: ordersInOneSecond(&random))
    }

    /// The shop's one metric: a counter of orders, `shop_orders_total` on the wire.
    static func orders(in registry: Registry) throws -> Counter {
        try registry.makeCounter(name: counterName, help: "Orders the shop has taken since the process started.")
    }

    /// Orders taken in one second: 0 to 4, two on average.
    static func ordersInOneSecond(_ random: inout SeededRandom) -> Double {
        Double(random.next(below: 5))
    }

    // MARK: Ten minutes of a shop

    /// Runs the shop for ten minutes with a restart, scraping it every 15 s. Returns the
    /// registry of the process running at the end and the orders really taken each second.
    static func runShop(scrapingInto store: SeriesStore) throws -> (registry: Registry, ordersTaken: [Double]) {
        let clock = ManualClock(Double(startSeconds))
        var registry = Registry(clock: clock)
        var counter = try orders(in: registry)
        var random = SeededRandom(seed: 3)
        var ordersTaken = [0.0]
        for second in 1...endSecond {
            clock.advance(by: 1)
            if second == restartSecond {
                // A new process: a new registry, so the counter starts again at zero.
                registry = Registry(clock: clock)
                counter = try orders(in: registry)
            }
            let running = second < crashSecond || second >= restartSecond
            let taken = running ? ordersInOneSecond(&random) : 0
            counter.inc(by: taken)
            ordersTaken.append(taken)
            // Prometheus scrapes on its own schedule; while the process is down there is nothing to scrape.
            if second % scrapeInterval == 0, running {
                store.ingest(registry.collect(), at: milliseconds(second), labels: target)
            }
        }
        return (registry, ordersTaken)
    }

    /// The stored samples as a sparkline, and the values around the restart.
    static func showRawSamples(_ store: SeriesStore, _ narrator: Narrator) throws {
        let samples = try storedSamples(store)
        narrator.heading("The raw counter, scraped every \(scrapeInterval) s")
        narrator.say("""
            A shop counts its orders in \(counterName). Prometheus scrapes it every \(scrapeInterval) s for ten \
            minutes. At \(clockTime(crashSecond)) the process crashes; \(restartSecond - crashSecond) s later a new one starts. The \(samples.count) stored samples:
            """)
        let aroundRestart = samples.filter { abs(second(of: $0) - crashSecond) <= 30 }
        narrator.show("""
            \(TerminalChart.sparkline(samples.map(\.value)))
            \(aroundRestart.map { "\(clockTime(second(of: $0))) \(shown($0.value))" }.joined(separator: "   "))
            """)
        narrator.say("""
            The saw tooth is the restart: the new process counts from zero. The raw number \
            answers "orders since this process started", which nobody asked.
            """)
    }

    // MARK: One five-minute window

    /// The raw value, last minus first, `increase`, `rate` and `irate` over the five minutes that hold the restart.
    static func showWindow(_ engine: PromQLEngine, _ store: SeriesStore, ordersTaken: [Double], _ narrator: Narrator) throws {
        let end = milliseconds(endSecond)
        // Prometheus 3's windows are left-open: a sample exactly at the start is not in it.
        let window = try storedSamples(store).filter { $0.timestamp > end - 300_000 }
        let naive = (window.last?.value ?? 0) - (window.first?.value ?? 0)
        let truth = ordersTaken[(endSecond - 300 + 1)...].reduce(0, +)

        let raw = try instantValue(engine, counterName, at: end)
        let increase = try instantValue(engine, "increase(\(counterName)[5m])", at: end)
        let rate = try instantValue(engine, "rate(\(counterName)[5m])", at: end)
        let irate = try instantValue(engine, "irate(\(counterName)[5m])", at: end)

        narrator.heading("How many orders in the last five minutes?")
        narrator.say("""
            Asked at \(clockTime(endSecond)); the restart lies inside the window \
            (\(clockTime(endSecond - 300)), \(clockTime(endSecond))]: left-open, as Prometheus 3 has it, so the \
            sample at \(clockTime(endSecond - 300)) is not in it; the first is at \(clockTime(Int(window.first.map { $0.timestamp / 1000 - startSeconds } ?? 0))), \
            \(shown(window.first?.value ?? .nan)).
            """)
        narrator.show("""
            \(TerminalChart.padded(counterName, 36))\(shown(raw))
            \(TerminalChart.padded("(last − first of the \(window.count) samples)", 36))\(shown(naive))
            \(TerminalChart.padded("increase(\(counterName)[5m])", 36))\(shown(increase))
            \(TerminalChart.padded("rate(\(counterName)[5m])", 36))\(shown(rate)) per second
            \(TerminalChart.padded("irate(\(counterName)[5m])", 36))\(shown(irate)) per second
            """)
        let rows = [("the raw value", raw), ("last − first, by hand", naive), ("increase()", increase), ("orders really taken", truth)]
        narrator.say("The counts side by side (a negative count gets no bar):")
        narrator.show(TerminalChart.bars(rows.map { (label: $0.0, value: $0.1) }, width: 30))
        narrator.say("""
            last − first goes negative: it subtracts the old process's total from the new one's. \
            increase() finds the fall, treats it as a restart from zero and adds the value before \
            it back, so it lands near the truth. rate() is the same thing per second: increase \
            divided by the window's 300 seconds. irate() uses only the last two samples, so it \
            shows the latest 15 s and forgets the rest. The gap to the truth is real: orders the \
            old process took after its last scrape died with it, unseen by Prometheus.
            """)
    }

    // MARK: rate() over time

    /// `rate()` and a reset-blind `delta()` evaluated after every scrape, as sparklines.
    static func showRateOverTime(_ engine: PromQLEngine, _ narrator: Narrator) throws {
        let times = stride(from: 60, through: endSecond, by: scrapeInterval).map(milliseconds)
        let rates = try times.map { try instantValue(engine, "rate(\(counterName)[1m])", at: $0) }
        let naive = try times.map { try instantValue(engine, "delta(\(counterName)[1m]) / 60", at: $0) }
        narrator.heading("A rate over time, across the restart")
        narrator.say("Evaluated after every scrape from \(clockTime(60)) on, one character per evaluation:")
        narrator.show("""
            rate(\(counterName)[1m]), \(shown(rates.min() ?? 0)) to \(shown(rates.max() ?? 0)):
              \(TerminalChart.sparkline(rates))
            delta(\(counterName)[1m]) / 60, \(shown(naive.min() ?? 0)) to \(shown(naive.max() ?? 0)):
              \(TerminalChart.sparkline(naive))
            """)
        narrator.say("""
            rate() only dips around the restart, for the orders lost with the old process and the \
            two seconds without one. delta(), the gauge function, knows nothing about resets: for \
            a minute after the restart its "rate" is hugely negative. On counters, use rate() and \
            increase().
            """)
    }

    // MARK: Extrapolation

    /// One `increase(…[1m])` taken apart: the samples it saw, and how it scales their change to the window.
    static func showExtrapolation(_ engine: PromQLEngine, _ store: SeriesStore, _ narrator: Narrator) throws {
        let evaluation = endSecond - 10
        let end = milliseconds(evaluation)
        let inWindow = try storedSamples(store).filter { $0.timestamp >= end - 60_000 && $0.timestamp <= end }
        guard let first = inWindow.first, let last = inWindow.last else { return }
        let seen = last.value - first.value
        let covered = Double(last.timestamp - first.timestamp) / 1000
        let answer = try instantValue(engine, "increase(\(counterName)[1m])", at: end)

        narrator.heading("Extrapolation at the window's edges")
        narrator.say("increase(\(counterName)[1m]) at \(clockTime(evaluation)) sees the samples in (\(clockTime(evaluation - 60)), \(clockTime(evaluation))]:")
        narrator.show(inWindow.map { "\(clockTime(second(of: $0))) \(shown($0.value))" }.joined(separator: "   "))
        narrator.say("""
            They span \(shown(covered)) s of the 60 s window and grew by \(shown(seen)). Prometheus assumes the counter \
            kept its pace over the gaps at both edges (each shorter than 1.1 scrape intervals) and \
            scales up: \(shown(seen)) × 60 / \(shown(covered)) = \(shown(seen * 60 / covered)). increase() answers \(shown(answer)). \
            That is why increase() of a counter that only moves in whole steps can come out as a \
            fraction, and why it rarely matches a hand count exactly.
            """)
    }

    // MARK: Prometheus's example

    /// The series from Prometheus's own tests, `0 1 2 3 2 3 4`, and its `increase()` of 7.
    static func showTextbookExample(_ narrator: Narrator) throws {
        // The series from Prometheus's own tests: one sample every 5 minutes, a restart after the 3.
        let store = SeriesStore()
        let series = LabelSet(name: "http_requests_total", ["path": "/foo"])
        for (index, value) in [0.0, 1, 2, 3, 2, 3, 4].enumerated() {
            store.append(series, timestamp: Int64(index) * 300_000, value: value)
        }
        let answer = try instantValue(PromQLEngine(store: store), "increase(http_requests_total[30m])", at: 1_800_000)
        narrator.heading("A small example to check by hand")
        narrator.say("""
            A counter sampled every 5 minutes reads 0 1 2 3 2 3 4. From 3 to 2 it fell: a restart, \
            after which 2 new requests were counted. Up 3, then 2 counted since the restart, then \
            up 2 more: 7 in all. increase(http_requests_total[30m]) at 30m answers \(shown(answer)). \
            In Prometheus 3 the window (0, 30m] leaves out the 0 at its start: the other samples \
            count 6, and increase() extrapolates back towards the start, stopping where the \
            counter was zero (250 s before its first sample): 6 × 1750 / 1500 = 7. Prometheus 2 \
            kept the 0 and counted 7 with nothing to extrapolate. \
            Your exercise computes the counting part: swift run lesson check 3.
            """)
    }

    // MARK: Helpers

    /// The stored samples of the shop's counter, in time order.
    static func storedSamples(_ store: SeriesStore) throws -> [StoredSample] {
        let matchers = [try LabelMatcher("__name__", .equal, counterName)]
        return store.select(matchers, from: 0, through: milliseconds(endSecond)).first?.samples ?? []
    }

    /// The value of a query that returns one series (or a scalar).
    static func instantValue(_ engine: PromQLEngine, _ query: String, at time: Int64) throws -> Double {
        switch try engine.evaluate(query, at: time) {
        case .scalar(let value): return value
        case .vector(let elements): return elements.first?.value ?? .nan
        case .matrix, .string: return .nan
        }
    }

    /// The demo's `second` as a timestamp in milliseconds.
    static func milliseconds(_ second: Int) -> Int64 {
        (startSeconds + Int64(second)) * 1000
    }

    /// The demo second a stored sample was taken at.
    static func second(of sample: StoredSample) -> Int {
        Int(sample.timestamp / 1000 - startSeconds)
    }

    /// `6m15s`: a demo second as minutes and seconds since the start.
    static func clockTime(_ second: Int) -> String {
        let seconds = second % 60
        return "\(second / 60)m" + (seconds < 10 ? "0" : "") + "\(seconds)s"
    }

    /// A value rounded to two decimals, as the exposition writes numbers.
    static func shown(_ value: Double) -> String {
        formatSampleValue((value * 100).rounded() / 100, for: .prometheus)
    }
}
