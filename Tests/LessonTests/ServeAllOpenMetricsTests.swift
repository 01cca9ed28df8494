import Foundation
import Platform
import HTTP
import Instrumentation
import Scraping
import WorkbookKit
import TestSupport
import XCTest

/// `lesson serve all` speaks OpenMetrics to a scraper that asks for it: the merged exposition
/// is valid for the strict parsers, carries lesson 10's exemplars, and a real Prometheus reads it.
final class ServeAllOpenMetricsTests: XCTestCase {
    private static let openMetricsAccept = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    func testServeAllMergesOpenMetricsThatStrictParsersAndPrometheusRead() throws {
        let port = try freeLoopbackPort()
        let server = try startLessonServer(["serve", "all", "--port", String(port)], port: port)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let url = "http://127.0.0.1:\(port)/metrics"

        // Wait for every lesson, and for lesson 10's simulated requests to leave exemplars.
        var response = try HTTPClient.get(url: url, headers: ["Accept": Self.openMetricsAccept], timeout: 5)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = response.text
            if Workbook.lessons.allSatisfy({ text.contains("lesson=\"\($0.folder)\"") }), text.contains("# {trace_id=\"") { break }
            Thread.sleep(forTimeInterval: 0.5)
            response = try HTTPClient.get(url: url, headers: ["Accept": Self.openMetricsAccept], timeout: 5)
        }
        XCTAssertEqual(response.headers["Content-Type"], ExpositionFormat.openmetrics.contentType)
        let text = response.text
        XCTAssertTrue(text.hasSuffix("\n# EOF\n"))
        XCTAssertEqual(text.components(separatedBy: "# EOF").count, 2, "exactly one # EOF")

        let families = try ExpositionParser.parseFamilies(response.body, format: .openmetrics)
        XCTAssertEqual(Set(families.map(\.name)).count, families.count, "no family written in two pieces")
        XCTAssertEqual(families.first { $0.name == "http_request_duration_seconds" }?.unit, "seconds")
        let lesson10 = families.flatMap(\.samples).filter { $0.labels["lesson"] == "10-instrument-a-service" }
        let traced = lesson10.filter { $0.name == "http_request_duration_seconds_bucket" && $0.exemplar?.labels["trace_id"] != nil }
        XCTAssertFalse(traced.isEmpty, "lesson 10's latency buckets carry trace ids")
        XCTAssertTrue(traced.allSatisfy { $0.exemplar!.labels["trace_id"]!.utf8.count == 32 })

        let python = try ExpositionCheck.pythonSamples(text, openMetrics: true)
        XCTAssertEqual(python.status, 0, "Python's strict OpenMetrics parser refused it: \(python.error)")
        XCTAssertEqual(python.samples.count, families.flatMap(\.samples).count)

        // Without an OpenMetrics Accept header, the text format as before: no exemplars, no # EOF.
        let plain = try HTTPClient.get(url: url, timeout: 5)
        XCTAssertEqual(plain.headers["Content-Type"], ExpositionFormat.prometheus.contentType)
        XCTAssertFalse(plain.text.contains("# EOF"))
        XCTAssertFalse(plain.text.contains("# {"))

        // A real Prometheus negotiates OpenMetrics, scrapes it, and keeps the exemplars.
        let prometheus = try RealPrometheus.scraping([("workbook", port)], exemplarStorage: true)
        defer { prometheus.stop() }
        let now = Date().timeIntervalSince1970
        let query = #"http_request_duration_seconds_bucket{lesson="10-instrument-a-service"}"#
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let paths = [
            "/api/v1/targets",
            "/api/v1/query_exemplars?query=\(query)&start=\(Int(now) - 600)&end=\(Int(now) + 600)",
            "/api/v1/targets/metadata?metric=http_request_duration_seconds",
        ]
        var answers: [Any] = []
        var health = "", lastError = "", exemplars = 0, unit = ""
        let scraped = Date().addingTimeInterval(40)
        repeat {
            answers = try prometheus.getJSON(paths)
            let targets = ((answers[0] as? [String: Any])?["data"] as? [String: Any])?["activeTargets"] as? [[String: Any]] ?? []
            health = targets.first?["health"] as? String ?? ""
            lastError = targets.first?["lastError"] as? String ?? ""
            exemplars = ((answers[1] as? [String: Any])?["data"] as? [[String: Any]] ?? [])
                .reduce(0) { $0 + (($1["exemplars"] as? [Any])?.count ?? 0) }
            unit = (((answers[2] as? [String: Any])?["data"] as? [[String: Any]])?.first?["unit"] as? String) ?? ""
            if health == "up", exemplars > 0, !unit.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.5)
        } while Date() < scraped
        XCTAssertEqual(health, "up", "scrape error: \(lastError)\n\(prometheus.logText.suffix(2_000))")
        XCTAssertGreaterThan(exemplars, 0, "query_exemplars returned nothing: \(answers)")
        // Only the OpenMetrics parser reads # UNIT: a unit in the metadata shows it was OpenMetrics.
        XCTAssertEqual(unit, "seconds")
    }
}
