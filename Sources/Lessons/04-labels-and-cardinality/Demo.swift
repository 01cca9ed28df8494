import Platform
import Instrumentation
import TimeSeries
import PromQL
import WorkbookKit

/// The narrated demo of lesson 4: one family and its series, the series count exploding
/// when a raw path or a user id becomes a label, and `sum by` / `sum without` in PromQL.
enum LabelsAndCardinalityDemo {
    /// When the demo starts, in seconds since the epoch.
    static let startSeconds: Int64 = 1_700_000_000
    /// How many minutes of traffic the demo sends.
    static let minutes = 5
    /// How often the demo's Prometheus scrapes each instance, in seconds.
    static let scrapeInterval = 15
    /// The two instances of the shop, as Prometheus's `instance` label names them.
    static let instances = ["shop-1:8080", "shop-2:8080"]
    /// The demo's users: enough that almost every request comes from a new one.
    static let users: UInt64 = 100_000
    /// Orders per user the demo's requests may ask for.
    static let ordersPerUser: UInt64 = 50

    /// Runs the demo, narrating through `narrator`, and returns shop-1's registry.
    static func run(_ narrator: Narrator) throws -> Registry {
        let store = SeriesStore()
        let run = try runShops(scrapingInto: store)
        let first = run.registries[0]

        try showFamily(first, narrator)
        showGrowth(run.growth, narrator)
        try showScrapeCost(first, userFamily: run.userFamily, narrator)
        try showAggregation(PromQLEngine(store: store), narrator)
        return first
    }

    /// Keeps requests coming while `lesson serve 4` runs: called once a second with a tick from 0.
    ///
    /// It draws from 300 users with 5 orders each, so the raw-path family grows for a while
    /// and then levels off at a few thousand series instead of growing for ever.
    static func simulate(_ registry: Registry, tick: Int) throws {
        var random = SeededRandom(seed: 0x4_0000_0000 + UInt64(tick))
        let metrics = try ShopMetrics(registry: registry)
        for _ in 0..<(1 + random.next(below: 5)) {
            try metrics.record(ShopTraffic.nextRequest(&random, users: 300, ordersPerUser: 5))
        }
    }

    // MARK: Five minutes of traffic

    /// Series counts of shop-1 at the end of each minute, by how its requests are labelled.
    struct Growth {
        /// `http_requests_total{method,route,code}`.
        var byRoute: [Int] = []
        /// `http_requests_by_path_total{method,path,code}`.
        var byPath: [Int] = []
        /// The same requests by user id, in a family nobody scrapes.
        var byUser: [Int] = []
    }

    /// Sends five minutes of traffic to both instances, scraping each into `store`. The first
    /// instance also counts its requests by user id, in a registry of its own that nobody scrapes.
    static func runShops(scrapingInto store: SeriesStore) throws -> (registries: [Registry], growth: Growth, userFamily: MetricFamily<Counter>) {
        let clock = ManualClock(Double(startSeconds))
        let registries = instances.map { _ in Registry(clock: clock) }
        let metrics = try registries.map { try ShopMetrics(registry: $0) }
        let byUser = try Registry(clock: clock).makeCounterFamily(
            name: "http_requests_by_user_total", help: "HTTP requests served, by user id.", labelNames: ["user_id"])
        var randoms = instances.indices.map { SeededRandom(seed: 40 + UInt64($0)) }
        var growth = Growth()
        for second in 1...(minutes * 60) {
            clock.advance(by: 1)
            for index in instances.indices {
                // About two requests a second per instance.
                for _ in 0..<randoms[index].next(below: 5) {
                    let request = ShopTraffic.nextRequest(&randoms[index], users: users, ordersPerUser: ordersPerUser)
                    try metrics[index].record(request)
                    if index == 0, !request.userID.isEmpty { try byUser.labels(request.userID).inc() }
                }
                if second % scrapeInterval == 0 {
                    store.ingest(registries[index].collect(), at: (startSeconds + Int64(second)) * 1000,
                                 labels: ["job": "shop", "instance": instances[index]])
                }
            }
            if second % 60 == 0 {
                growth.byRoute.append(metrics[0].requests.collect().series.count)
                growth.byPath.append(metrics[0].requestsByPath.collect().series.count)
                growth.byUser.append(byUser.collect().series.count)
            }
        }
        return (registries, growth, byUser)
    }

    // MARK: One family

    /// The route-labelled family's exposition: every series it has after five minutes.
    static func showFamily(_ registry: Registry, _ narrator: Narrator) throws {
        let family = try ShopMetrics(registry: registry).requests.collect()
        narrator.heading("One family, a handful of series")
        narrator.say("""
            Five minutes of traffic to shop-1, counted in http_requests_total with the labels \
            method, route and code. Each label set that occurred is one series, one sample line \
            of the exposition (swift run lesson metrics 4 prints them):
            """)
        // One row per series: its three label values and its count, in columns that fit the terminal.
        var table = "method".padded(to: 8) + "route".padded(to: 24) + "code".padded(to: 6) + "value\n"
        for series in family.series {
            guard case .counter(let value) = series.value, series.labelValues.count == 3 else { continue }
            let values = series.labelValues
            table += values[0].padded(to: 8) + values[1].padded(to: 24) + values[2].padded(to: 6)
                + formatSampleValue(value, for: .prometheus) + "\n"
        }
        narrator.show(table)
        narrator.say("""
            \(family.series.count) series. The route label holds the template the router matched (/users/:id), \
            not the path the client sent, so the count is bounded by methods × routes × codes that \
            actually happen, and it stays the same whether a hundred users come or a million.
            """)
    }

    // MARK: Unbounded labels

    /// Series per family at the end of each minute, and after five minutes as bars.
    static func showGrowth(_ growth: Growth, _ narrator: Narrator) {
        narrator.heading("The same requests, labelled by raw path or by user id")
        narrator.say("""
            shop-1 also counted the same requests by raw path (http_requests_by_path_total), and \
            by user id in a family nobody scrapes. Series per family at the end of each minute:
            """)
        let rows = [("route template", growth.byRoute), ("raw path", growth.byPath), ("user id", growth.byUser)]
        var table = "minute".padded(to: 17) + (1...minutes).map { "\($0)".leftPadded(to: 6) }.joined() + "\n"
        for (name, counts) in rows {
            table += name.padded(to: 17) + counts.map { "\($0)".leftPadded(to: 6) }.joined() + "\n"
        }
        narrator.show(table)
        narrator.say("The route family stays flat; the other two grow with every new user. After five minutes:")
        narrator.show(TerminalChart.bars(rows.map { (label: $0.0, value: Double($0.1.last ?? 0)) }, width: 40))
    }

    /// What the three families cost on every scrape, and how many series hold a single request.
    static func showScrapeCost(_ registry: Registry, userFamily: MetricFamily<Counter>, _ narrator: Narrator) throws {
        let metrics = try ShopMetrics(registry: registry)
        let byPath = metrics.requestsByPath.collect()
        let families = [("route template", metrics.requests.collect()), ("raw path", byPath), ("user id", userFamily.collect())]
        narrator.say("Bytes each family adds to every scrape of shop-1:")
        narrator.show(TerminalChart.bars(families.map { (label: $0.0, value: Double(ExpositionFormat.prometheus.encode([$0.1]).count)) }, width: 40))
        let ones = byPath.series.filter { $0.value == .counter(1) }.count
        narrator.say("""
            \(ones) of the \(byPath.series.count) raw-path series have counted exactly one request: they \
            are a request log written into the metrics. Every series costs memory in this process \
            (a counter kept until the process ends), index and sample storage in Prometheus, and \
            bytes on every scrape, whether or not anyone ever queries it.
            """)
    }

    // MARK: Aggregation

    /// `count`, `sum by`, `sum without` and `count by (__name__)` over both instances' scraped series.
    static func showAggregation(_ engine: PromQLEngine, _ narrator: Narrator) throws {
        let now = (startSeconds + Int64(minutes * 60)) * 1000
        narrator.heading("Aggregating with sum by and sum without")
        narrator.say("""
            Prometheus scraped both instances every \(scrapeInterval) s and added job and instance labels. \
            Queries at the end of the five minutes:
            """)
        try showQuery("count(http_requests_total)", engine, at: now, narrator)
        try showQuery("count(http_requests_by_path_total)", engine, at: now, narrator)
        try showQuery("sum by (route) (rate(http_requests_total[5m]))", engine, at: now, narrator, asBars: true)
        narrator.say("""
            sum by (route) keeps only the route label and adds up every series that shares a \
            value: both instances, every method and code. Take the rate first, then sum: rate() \
            must see each counter on its own to notice its restarts.
            """)
        try showQuery("sum without (instance) (rate(http_requests_total[5m]))", engine, at: now, narrator)
        narrator.say("""
            sum without (instance) drops just that label and keeps the others (job, method, route, \
            code): the fleet's traffic as if it were one process. A label someone adds later is \
            kept, where by (…) would silently add it away. The 500 shows a rate of 0: its series \
            was born at 1 with its first request, so rate() never saw it go up.
            """)
        try showQuery(#"count by (__name__) ({__name__=~".+"})"#, engine, at: now, narrator, asBars: true)
        narrator.say("Series per metric name: the query to run on any Prometheus that keeps growing.")
    }

    /// Evaluates `query` and shows it with its answer, one line per series, or as bars.
    static func showQuery(_ query: String, _ engine: PromQLEngine, at time: Int64, _ narrator: Narrator, asBars: Bool = false) throws {
        guard case .vector(let elements) = try engine.evaluate(query, at: time) else { return }
        let rows = elements.map { (label: $0.labels.description, value: ($0.value * 1000).rounded() / 1000) }
        let answer = asBars
            ? TerminalChart.bars(rows, width: 30)
            : rows.map { "\($0.label) \(formatSampleValue($0.value, for: .prometheus))" }.joined(separator: "\n")
        narrator.show("> " + query + "\n" + answer)
    }
}

// String padding for the demo's columns.
extension String {
    /// The string followed by spaces up to `width` characters (never cut).
    fileprivate func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// The string after spaces up to `width` characters, for columns of numbers.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
