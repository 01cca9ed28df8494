import Foundation
import Platform
import Instrumentation
import HTTP
import TimeSeries
import Scraping
import PromQL
import WorkbookKit

/// The narrated demo of lesson 10: a real HTTP service, real requests, and the RED metrics they leave.
enum ServiceDemo {
    static func run(_ narrator: Narrator) throws -> Registry {
        let registry = Registry()
        let metrics = try ServiceMetrics(registry: registry)
        // Work times scaled down four times, and four clients at once, so the demo takes about a second.
        let shop = try ShopService(metrics: metrics, workScale: 0.25)
        let endpoint = MetricsEndpoint(registry: registry)
        let server = HTTPServer(port: 0, handler: endpoint.makeHandler { request in
            shop.handle(request) ?? HTTPResponse.notFound(request)
        })
        try server.start()
        defer { server.stop() }

        narrator.heading("A service with RED metrics")
        narrator.say("""
            A little shop API runs on \(server.url). Every request goes through instrument(): \
            it counts the request by method, route and status code (Rate and Errors) and times it \
            into a histogram (Duration). /metrics on the same port exposes the result.
            """)

        // Prometheus's view: scrape the service before and after the traffic.
        let store = SeriesStore()
        let scraper = Scraper(store: store, clock: ManualClock(1_700_000_000))
        let target = Scraper.Target(job: "shop", source: HTTPScrapeSource(url: server.url + "/metrics"))
        scraper.scrape(target)

        narrator.heading("Four clients send 80 requests, scraped every 30 seconds")
        let paths = ["/", "/api/orders", "/api/orders/17", "/api/orders/42", "/api/search", "/api/checkout", "/api/checkout"]
        let statuses = Locked<[Int: Int]>([:])
        for batch in 0..<2 {
            DispatchQueue.concurrentPerform(iterations: 4) { client in
                var random = SeededRandom(seed: UInt64(batch * 4 + client))
                for _ in 0..<10 {
                    let path = paths[Int(random.next(below: UInt64(paths.count)))]
                    let status = (try? HTTPClient.get(url: server.url + path, timeout: 5).status) ?? 0
                    statuses.withLock { $0[status, default: 0] += 1 }
                }
            }
            // A series is only in the store from the first scrape that saw it, so it takes two
            // scrapes after a route's first request before increase() has two samples to compare.
            (scraper.clock as? ManualClock)?.advance(by: 30)
            scraper.scrape(target)
        }
        narrator.say("Answers by status code:")
        let counts = statuses.withLock { $0 }
        narrator.show(TerminalChart.bars(counts.keys.sorted().map { (label: String($0), value: Double(counts[$0]!)) }, width: 30))
        let engine = PromQLEngine(store: store)
        let now = Int64(1_700_000_060_000)

        narrator.heading("Rate: requests by route, over the window")
        try show(engine, "sum by (route) (increase(http_requests_total[5m]))", at: now, narrator, label: "route")
        narrator.say("""
            (Every series was created at zero before the first request, so the first scrape saw \
            zeros and increase() needs no guessing: the bars add up to the 80 requests sent.)
            """)

        narrator.heading("Errors: the share of requests that failed")
        try show(engine, #"sum(increase(http_requests_total{code="500"}[5m])) / sum(increase(http_requests_total[5m]))"#, at: now, narrator, label: nil)

        narrator.heading("Duration: the 90th percentile, by route, from the histogram")
        try show(engine, "histogram_quantile(0.9, sum by (le, route) (increase(http_request_duration_seconds_bucket[5m])))", at: now, narrator, label: "route")
        narrator.say("""
            These are the service's real timings (scaled down for the demo): the checkout is slow, \
            the home page fast. `swift run lesson serve 10` keeps the service running on port 3001; \
            `swift run lesson load` sends it traffic like real users.
            """)

        narrator.heading("Exemplars: from a latency bucket to one request")
        narrator.say("""
            Every observation carried its request's trace id, and each bucket keeps the latest \
            as its exemplar. The checkout's buckets, as OpenMetrics writes them after each \
            _bucket line (the 0.0.4 format has no place for them):
            """)
        narrator.show(exemplarLines(try metrics.duration.labels("GET", "/api/checkout")))
        return registry
    }

    /// One line per bucket with an exemplar: its bound, trace id and observed seconds.
    private static func exemplarLines(_ histogram: Histogram) -> String {
        let bounds = histogram.upperBounds.map { formatSampleValue($0, for: .prometheus) } + ["+Inf"]
        return zip(bounds, histogram.exemplars).compactMap { bound, exemplar -> String? in
            guard let exemplar, let trace = exemplar.labels["trace_id"] else { return nil }
            let seconds = (exemplar.value * 1000).rounded() / 1000
            return "le=\"\(bound)\"".padding(toLength: 12, withPad: " ", startingAt: 0) + "trace_id=\(trace)  \(seconds) s"
        }.joined(separator: "\n")
    }

    /// Evaluates `query` and shows one bar per series, labelled by `label` (or the whole set).
    private static func show(_ engine: PromQLEngine, _ query: String, at time: Int64, _ narrator: Narrator, label: String?) throws {
        narrator.say("  " + query)
        guard case .vector(let elements) = try engine.evaluate(query, at: time) else { return }
        let rows = elements.map { element in
            (label: label.map { element.labels[$0] } ?? "all", value: (element.value * 1000).rounded() / 1000)
        }
        narrator.show(TerminalChart.bars(rows, width: 30))
    }
}
