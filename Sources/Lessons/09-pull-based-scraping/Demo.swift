import Platform
import Instrumentation
import TimeSeries
import Scraping
import PromQL
import WorkbookKit

/// The narrated demo of lesson 9: a target, a scraper pulling it every 15 seconds, and what the store holds.
enum ScrapingDemo {
    /// The target's metrics: an order counter and a queue gauge.
    struct ShopMetrics {
        let orders: Counter
        let queue: Gauge

        init(registry: Registry) throws {
            orders = try registry.makeCounter(name: "shop_orders_total", help: "Orders taken since the process started.")
            queue = try registry.makeGauge(name: "shop_queue_length", help: "Orders waiting to be packed.")
        }
    }

    static func run(_ narrator: Narrator) throws -> Registry {
        let start = 1_700_000_000.0
        let clock = ManualClock(start)
        let registry = Registry(clock: clock)
        let shop = try ShopMetrics(registry: registry)
        let store = SeriesStore()
        let scraper = Scraper(store: store, clock: clock)
        let target = Scraper.Target(job: "shop", source: RegistryScrapeSource(registry: registry, instance: "shop-1:3001"))
        let engine = PromQLEngine(store: store)

        narrator.heading("Prometheus pulls")
        narrator.say("""
            The shop counts orders and keeps a queue; it sends nothing anywhere. Every 15 seconds \
            the scraper asks for /metrics and stores what it reads, stamped with the scrape time.
            """)
        // Orders arrive at 1.2 s, 3.9 s, 7 s, 16 s …; the scraper only looks at 0, 15, 30 and 45 s.
        let orderTimes = [1.2, 3.9, 7.0, 16.0, 22.5, 29.0, 31.0, 44.0]
        var next = orderTimes[...]
        for scrapeAt in stride(from: 0.0, through: 45, by: 15) {
            while let time = next.first, time <= scrapeAt {
                shop.orders.inc()
                next.removeFirst()
            }
            shop.queue.set(Double(Int(scrapeAt) % 4))
            clock.set(to: start + scrapeAt)
            let report = scraper.scrape(target)
            narrator.show("t=\(Int(scrapeAt))s  up=\(report.up ? 1 : 0)  samples=\(report.samplesScraped)  shop_orders_total=\(formatSampleValue(shop.orders.value, for: .prometheus))")
        }
        narrator.say("""
            Three orders came in before the 15 s scrape, at 1.2, 3.9 and 7 s; the store knows only \
            "3 at 15 s". What happened between two scrapes is seen as the change between them.
            """)

        narrator.heading("History cannot be pulled")
        let history = try registry.makeCounter(name: "shop_legacy_orders_total", help: "Orders imported from the old system.")
        history.inc(by: 1_000)
        shop.queue.set(0)
        clock.set(to: start + 60)
        scraper.scrape(target)
        clock.set(to: start + 75)
        scraper.scrape(target)
        let now = Int64((start + 75) * 1000)
        narrator.say("A counter that already stood at 1000 when it was first scraped (last month's orders):")
        try show(engine, "increase(shop_legacy_orders_total[1h])", at: now, narrator)
        narrator.say("""
            Its increase over the last hour is 0: the store starts at the first scrape, at 1000, and \
            nothing before it was ever seen. A target cannot send the past to a puller; importing \
            old data takes a backfill (promtool tsdb create-blocks-from openmetrics) instead.
            """)

        narrator.heading("Down, then stale")
        clock.set(to: start + 90)
        let down = scraper.scrape(Scraper.Target(job: "shop", source: UnreachableSource(instance: "shop-1:3001")))
        narrator.show("t=90s  up=\(down.up ? 1 : 0)  error: \(down.error ?? "none")  series marked stale: \(down.staleMarked)")
        let at90 = Int64((start + 90) * 1000)
        try show(engine, "up", at: at90, narrator)
        try show(engine, "shop_queue_length", at: at90, narrator)
        narrator.say("""
            The failed scrape writes up 0 and a staleness marker for every series the shop had, so \
            shop_queue_length is gone at once rather than repeating its last value for 5 minutes. \
            Alert on `up == 0`: it is the one series that exists precisely when the target does not answer.
            """)

        narrator.heading("A spike between scrapes")
        narrator.say("The queue jumps to 50 at 100 s and is back to 0 at 103 s; the scrapes at 95 and 110 s see:")
        for (time, length) in [(95.0, 0.0), (100.0, 50.0), (103.0, 0.0), (110.0, 0.0)] {
            clock.set(to: start + time)
            shop.queue.set(length)
            if time == 95 || time == 110 { scraper.scrape(target) }
        }
        try show(engine, "max_over_time(shop_queue_length[1m])", at: Int64((start + 110) * 1000), narrator)
        narrator.say("""
            Even the maximum over the last minute says 0: a gauge is read at the moment of each \
            scrape, and a spike shorter than the interval is never seen. Count events with a \
            counter instead, and the change between two scrapes catches every one of them.
            """)
        return registry
    }

    /// Evaluates `query` and shows each series with its value.
    private static func show(_ engine: PromQLEngine, _ query: String, at time: Int64, _ narrator: Narrator) throws {
        narrator.say("  " + query)
        guard case .vector(let elements) = try engine.evaluate(query, at: time) else { return }
        narrator.show(elements.isEmpty ? "(no series)" : elements.map { "\($0.labels) \(formatSampleValue($0.value, for: .prometheus))" }.joined(separator: "\n"))
    }

    /// A target that does not answer.
    struct UnreachableSource: ScrapeSource {
        let instance: String

        func fetch(timeout: Double) throws -> (body: [UInt8], contentType: String) {
            throw ScrapeError("connection refused")
        }
    }
}
