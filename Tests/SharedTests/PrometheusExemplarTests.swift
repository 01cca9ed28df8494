import Foundation
import Platform
import TestSupport
import XCTest

@testable import Instrumentation
@testable import HTTP
import PromQL
import PrometheusAPI
import Scraping
import TimeSeries

/// A real Prometheus, with exemplar storage on, scrapes a registry whose observations carry
/// trace ids and gives the trace ids back from `/api/v1/query_exemplars`.
final class PrometheusExemplarTests: XCTestCase {
    func testPrometheusStoresTheTraceIdsOfObservations() throws {
        let now = Date().timeIntervalSince1970
        let registry = Registry()
        let latency = try registry.makeHistogram(
            name: "workbook_exemplar_duration_seconds", help: "Request latency.", buckets: [0.1, 1], unit: "seconds")
        // One observation per bucket: each bucket keeps its latest exemplar, so all three are served.
        let traces = ["0af7651916cd43dd8448eb211c80319c", "4bf92f3577b34da6a3ce929d0e0e4736", "b7ad6b7169203331b7ad6b7169203331"]
        for (value, trace) in zip([0.05, 0.5, 5], traces) {
            try latency.observe(value, exemplar: ["trace_id": trace], timestamp: now)
        }
        try registry.makeCounter(name: "workbook_exemplar_jobs", help: "Jobs.").inc(exemplar: ["trace_id": "cafe"], timestamp: now)
        // An exemplar without a timestamp, served unchanged on every scrape: one exemplar, not one a scrape.
        try registry.makeCounter(name: "workbook_exemplar_untimed", help: "Jobs.").inc(exemplar: ["trace_id": "beef"])
        let served = Locked<[String]>([])
        let endpoint = MetricsEndpoint(registry: registry)
        let server = try startTestServer { request in
            let response = endpoint.makeHandler()(request)
            served.withLock { $0.append(response.headers["Content-Type"] ?? "") }
            return response
        }
        defer { server.stop() }

        let prometheus = try RealPrometheus.scraping([("exemplars", Int(server.port))], exemplarStorage: true)
        defer { prometheus.stop() }

        let start = String(format: "%.3f", now - 60), end = String(format: "%.3f", now + 600)
        let paths = ["workbook_exemplar_duration_seconds_bucket", "workbook_exemplar_jobs_total", "workbook_exemplar_untimed_total"].map {
            "/api/v1/query_exemplars?query=\($0)&start=\(start)&end=\(end)"
        }
        var found: [String: [String: Set<String>]] = [:]
        var untimed: [Any] = []
        let deadline = Date().addingTimeInterval(30)
        repeat {
            let answers = try prometheus.getJSON(paths)
            found = [:]
            for (path, answer) in zip(["buckets", "counter", "untimed"], answers) { found[path] = Self.traceIDsByBucket(answer) }
            untimed = Self.exemplars(answers[2])
            if found["buckets"]?.count == 3, found["counter"]?.isEmpty == false, !untimed.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.5)
        } while Date() < deadline
        // Three more scrapes of the same untimed exemplar.
        let scrapes = { (try? prometheus.getJSON(["/api/v1/query?query=count_over_time(up[1h])"]).first)
            .flatMap { (($0 as? [String: Any])?["data"] as? [String: Any])?["result"] as? [[String: Any]] }?.first
            .flatMap { ($0["value"] as? [Any])?.last as? String }.flatMap { Int($0) } ?? 0 }
        let before = scrapes()
        let scrapedBy = Date().addingTimeInterval(20)
        var scraped = false
        while !scraped, Date() < scrapedBy {
            Thread.sleep(forTimeInterval: 0.5)
            scraped = scrapes() >= before + 3
        }
        XCTAssertTrue(scraped, "Prometheus scraped \(scrapes() - before) more times")
        untimed = Self.exemplars(try prometheus.getJSON([paths[2]])[0])
        XCTAssertEqual(untimed.count, 1, "an untimed exemplar served \(scrapes()) times: \(untimed)")

        XCTAssertEqual(found["buckets"], ["0.1": [traces[0]], "1.0": [traces[1]], "+Inf": [traces[2]]],
                       "query_exemplars gave \(found); Prometheus said:\n\(prometheus.logText.suffix(2_000))")
        XCTAssertEqual(found["counter"], ["": ["cafe"]])
        XCTAssertTrue(served.withLock { $0 }.allSatisfy { $0.hasPrefix("application/openmetrics-text") }, "\(served.withLock { $0 })")
    }

    /// `/api/v1/query_exemplars` of the workbook's API and of the real Prometheus, both having
    /// scraped the same target: equal JSON for selectors, functions over ranges, several
    /// selectors in one query, a time range that cuts some out, no series, no selector at all;
    /// the same error type for a malformed query and for an end before the start.
    /// The exemplars carry timestamps with fractions of a millisecond, which both store alike.
    func testQueryExemplarsAnswersAsPrometheusDoes() throws {
        // Times with sub-millisecond digits, which a store may round or cut to milliseconds.
        let base = (Date().timeIntervalSince1970 - 30).rounded(.down)
        let times = (0..<4).map { base + Double($0) * 7.654321 + 0.0019 }
        let registry = Registry()
        let latency = try registry.makeHistogram(
            name: "workbook_exemplar_duration_seconds", help: "Request latency.", buckets: [0.1, 1], unit: "seconds")
        let jobs = try registry.makeCounterFamily(name: "workbook_exemplar_jobs", help: "Jobs.", labelNames: ["queue"])
        let server = try startTestServer { MetricsEndpoint(registry: registry).makeHandler()($0) }
        defer { server.stop() }

        let prometheus = try RealPrometheus.scraping([("exemplars", Int(server.port))], exemplarStorage: true)
        defer { prometheus.stop() }
        let store = SeriesStore()
        let scraper = Scraper(store: store)
        let target = Scraper.Target(job: "exemplars", source: HTTPScrapeSource(url: "http://127.0.0.1:\(server.port)/metrics"))

        // New exemplars in rounds, each scraped by both at least once, some served unchanged for several scrapes.
        let counted = { (try? prometheus.getJSON(["/api/v1/query?query=count_over_time(up[1h])"]).first)
            .flatMap { (($0 as? [String: Any])?["data"] as? [String: Any])?["result"] as? [[String: Any]] }?.first
            .flatMap { ($0["value"] as? [Any])?.last as? String }.flatMap { Int($0) } ?? 0 }
        for (round, time) in times.enumerated() {
            try latency.observe([0.05, 0.5, 5][round % 3], exemplar: ["trace_id": "trace-\(round)"], timestamp: time)
            try jobs.labels(round % 2 == 0 ? "fast" : "slow").inc(by: Double(round + 1), exemplar: ["job_id": "j\(round)"], timestamp: time)
            let before = counted()
            let deadline = Date().addingTimeInterval(20)
            while counted() < before + 2, Date() < deadline { Thread.sleep(forTimeInterval: 0.3) }
            for _ in 0..<2 { _ = scraper.scrape(target) }
        }

        let start = String(format: "%.3f", times[1]), end = String(format: "%.3f", times[2] + 0.0005)
        let requests: [(query: String, times: String)] = [
            ("workbook_exemplar_duration_seconds_bucket", ""),
            (#"sum(rate(workbook_exemplar_duration_seconds_bucket{le="1"}[5m])) / on() group_left sum(workbook_exemplar_jobs_total)"#, ""),
            (#"{__name__=~"workbook_exemplar_.+",queue!="slow"}"#, ""),
            ("workbook_exemplar_duration_seconds_bucket", "&start=\(start)&end=\(end)"),
            ("workbook_exemplar_jobs_total", "&start=\(start)"),
            ("workbook_exemplar_jobs_total", "&end=\(start)"),
            ("nothing_is_called_this", ""),
            ("sum(", ""),
            ("up", "&start=\(end)&end=\(start)"),
            ("up", "&start=yesterday"),
        ]
        let queries = requests.map { "query=" + $0.query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! + $0.times }
        let theirs = try prometheus.getJSON(queries.map { "/api/v1/query_exemplars?" + $0 })
        let endpoint = PrometheusAPIEndpoint(engine: PromQLEngine(store: store))
        var compared = 0
        for (query, their) in zip(queries, theirs) {
            let response = try XCTUnwrap(endpoint.handle(HTTPRequest(method: "GET", path: "/api/v1/query_exemplars", query: query, headers: [:], body: [])))
            let ours = try JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
            let theirObject = their as? [String: Any] ?? [:], ourObject = ours as? [String: Any] ?? [:]
            XCTAssertEqual(ourObject["status"] as? String, theirObject["status"] as? String, "\(query): ours \(ours), theirs \(their)")
            if theirObject["status"] as? String == "success" {
                XCTAssertEqual(response.status, 200, query)
                XCTAssertTrue(NSDictionary(dictionary: ourObject).isEqual(to: theirObject), "\(query):\nours   \(ours)\ntheirs \(their)")
            } else {
                XCTAssertEqual(ourObject["errorType"] as? String, theirObject["errorType"] as? String, "\(query): ours \(ours), theirs \(their)")
                XCTAssertEqual(response.status, 400, query)
            }
            compared += 1
        }
        XCTAssertEqual(compared, queries.count)
        // A query that reads no series has no answer (Prometheus: 204, no body; its Python check above cannot read that).
        let none = try XCTUnwrap(endpoint.handle(HTTPRequest(method: "GET", path: "/api/v1/query_exemplars", query: "query=1%2B1", headers: [:], body: [])))
        XCTAssertEqual(none.status, 204)
        XCTAssertEqual(none.body, [])
        // The comparison had something to compare: every round's trace id, in both.
        let all = Self.exemplars(theirs[0]).compactMap { (($0 as? [String: Any])?["labels"] as? [String: String])?["trace_id"] }
        XCTAssertEqual(Set(all), Set((0..<times.count).map { "trace-\($0)" }), "Prometheus said:\n\(prometheus.logText.suffix(2_000))")
    }

    /// Every exemplar of a `query_exemplars` answer, all series together.
    static func exemplars(_ answer: Any) -> [Any] {
        let data = (answer as? [String: Any])?["data"] as? [[String: Any]] ?? []
        return data.flatMap { $0["exemplars"] as? [Any] ?? [] }
    }

    /// The trace ids of a `query_exemplars` answer, by the `le` label of their series ("" without one).
    static func traceIDsByBucket(_ answer: Any) -> [String: Set<String>] {
        guard let object = answer as? [String: Any], object["status"] as? String == "success",
              let data = object["data"] as? [[String: Any]] else { return [:] }
        var found: [String: Set<String>] = [:]
        for series in data {
            let le = (series["seriesLabels"] as? [String: String])?["le"] ?? ""
            for exemplar in series["exemplars"] as? [[String: Any]] ?? [] {
                if let trace = (exemplar["labels"] as? [String: String])?["trace_id"] { found[le, default: []].insert(trace) }
            }
        }
        return found
    }
}
