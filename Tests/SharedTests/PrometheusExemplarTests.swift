import Foundation
import Platform
import TestSupport
import XCTest

@testable import Instrumentation
@testable import HTTP

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

        let prometheus = try RealPrometheus(config: """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: exemplars
                static_configs: [{targets: ['127.0.0.1:\(server.port)']}]
            """, extraArguments: ["--enable-feature=exemplar-storage"])
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
