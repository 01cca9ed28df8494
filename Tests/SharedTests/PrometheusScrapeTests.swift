import Foundation
import TestSupport
import XCTest

@testable import Platform
@testable import Instrumentation
@testable import HTTP

/// A real Prometheus scrapes the server and stores what it serves, in both formats.
///
/// Prometheus 2.x always asks for OpenMetrics first (its Accept header is in
/// `MetricsEndpointTests.prometheusAccept`), so asking alone cannot make it read the text
/// format. Two targets make both honest: one offers both formats and is negotiated into
/// OpenMetrics; the other is a `MetricsEndpoint` that offers only text 0.0.4, exactly what
/// an older client library would answer. Each server records the Content-Type it sent,
/// and Prometheus's own metadata tells the two parsers apart: only OpenMetrics has `# UNIT`.
final class PrometheusScrapeTests: XCTestCase {
    func testPrometheusScrapesOpenMetricsAndTheTextFormat() throws {
        let registry = Registry()
        try registry.makeCounter(name: "workbook_jobs_processed", help: "Jobs processed.").inc(by: 42)
        let latency = try registry.makeHistogram(
            name: "workbook_request_duration_seconds", help: "Request latency.", buckets: [0.1, 1], unit: "seconds")
        for value in [0.0625, 0.5, 2] { latency.observe(value) }

        let served = ScrapeLog()
        let negotiating = try startTestServer(handler: served.recording("negotiating", MetricsEndpoint(registry: registry)))
        defer { negotiating.stop() }
        let textOnly = try startTestServer(handler: served.recording("text", MetricsEndpoint(registry: registry, formats: [.prometheus])))
        defer { textOnly.stop() }

        let prometheus = try RealPrometheus.scraping([("negotiating", Int(negotiating.port)), ("text", Int(textOnly.port))])
        defer { prometheus.stop() }
        let api = "http://127.0.0.1:\(prometheus.port)"
        let logTail = { String(prometheus.logText.suffix(2000)) }

        XCTAssertTrue(waitUntil(seconds: 15) { (try? HTTPClient.get(url: api + "/-/ready", timeout: 1))?.status == 200 },
                      "Prometheus never became ready:\n\(logTail())")
        XCTAssertTrue(waitUntil(seconds: 15) { (try? self.instantQuery(api, "up"))?.count == 2 },
                      "Prometheus never scraped both targets:\n\(logTail())")

        XCTAssertEqual(try instantQuery(api, "up"), ["negotiating": "1", "text": "1"], logTail())
        XCTAssertEqual(try instantQuery(api, "workbook_jobs_processed_total"), ["negotiating": "42", "text": "42"])
        XCTAssertEqual(try instantQuery(api, "workbook_request_duration_seconds_count"), ["negotiating": "3", "text": "3"])
        // OpenMetrics writes the bound 1 as le="1.0", the text format as le="1"; Prometheus 2 stores each as sent.
        XCTAssertEqual(try instantQuery(api, #"workbook_request_duration_seconds_bucket{le=~"1|1.0"}"#), ["negotiating": "2", "text": "2"])
        XCTAssertEqual(try instantQuery(api, "workbook_request_duration_seconds_sum"), ["negotiating": "2.5625", "text": "2.5625"])

        // What each server sent, and how Prometheus read it.
        XCTAssertEqual(served.contentTypes("negotiating"), ["application/openmetrics-text; version=1.0.0; charset=utf-8"])
        XCTAssertEqual(served.contentTypes("text"), ["text/plain; version=0.0.4; charset=utf-8"])
        XCTAssertFalse(served.accepts.isEmpty)
        XCTAssertTrue(served.accepts.allSatisfy { $0.hasPrefix("application/openmetrics-text;version=1.0.0") }, "\(served.accepts)")
        XCTAssertEqual(try unitMetadata(api, metric: "workbook_request_duration_seconds"), ["negotiating": "seconds", "text": ""])
    }

    // MARK: Helpers

    /// Runs an instant query and returns each result's value by its `job` label.
    private func instantQuery(_ api: String, _ query: String) throws -> [String: String] {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        let data = try apiData(api + "/api/v1/query?query=" + encoded)
        guard let object = data as? [String: Any], let results = object["result"] as? [[String: Any]] else { return [:] }
        var values: [String: String] = [:]
        for result in results {
            guard let labels = result["metric"] as? [String: String], let job = labels["job"],
                  let value = result["value"] as? [Any], value.count == 2, let number = value[1] as? String
            else { continue }
            values[job] = number
        }
        return values
    }

    /// The `unit` Prometheus recorded for `metric`'s family, by job.
    private func unitMetadata(_ api: String, metric: String) throws -> [String: String] {
        let data = try apiData(api + "/api/v1/targets/metadata?metric=" + metric)
        var units: [String: String] = [:]
        for entry in data as? [[String: Any]] ?? [] {
            guard let target = entry["target"] as? [String: String], let job = target["job"] else { continue }
            units[job] = entry["unit"] as? String
        }
        return units
    }

    /// The `data` member of a successful Prometheus API answer.
    private func apiData(_ url: String) throws -> Any? {
        let response = try HTTPClient.get(url: url, timeout: 2)
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        XCTAssertEqual(object?["status"] as? String, "success", response.text)
        return object?["data"]
    }

    private func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return condition()
    }
}

/// What the test servers were asked and what they answered, per server.
private final class ScrapeLog: Sendable {
    private let entries = Locked<[(server: String, accept: String, contentType: String)]>([])

    /// A handler serving `endpoint` that records each scrape's Accept header and Content-Type.
    func recording(_ server: String, _ endpoint: MetricsEndpoint) -> @Sendable (HTTPRequest) -> HTTPResponse {
        { [self] request in
            let response = endpoint.makeHandler()(request)
            entries.withLock { $0.append((server, request.headers["Accept"] ?? "", response.headers["Content-Type"] ?? "")) }
            return response
        }
    }

    /// The distinct Content-Types `server` sent.
    func contentTypes(_ server: String) -> Set<String> {
        Set(entries.withLock { $0.filter { $0.server == server }.map(\.contentType) })
    }

    /// Every Accept header received.
    var accepts: [String] {
        entries.withLock { $0.map(\.accept) }
    }
}
