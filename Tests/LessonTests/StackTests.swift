import Foundation
import WorkbookKit
import TestSupport
import XCTest

/// The docker compose stack in `stack/`, checked where no Docker engine runs: the compose
/// file, the Prometheus config and rules, the dashboards, and every dashboard query and
/// rule evaluated by a real Prometheus scraping `lesson serve all`.
final class StackTests: XCTestCase {
    private let stack = packageRoot() + "/stack"

    private var dashboards: [(file: String, json: [String: Any])] {
        get throws {
            let folder = stack + "/grafana/dashboards"
            return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted().map { file in
                let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file))
                guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                    throw CocoaError(.coderReadCorrupt)
                }
                return (file, json)
            }
        }
    }

    /// Every query of every panel, with Grafana's `$__rate_interval` fixed to one minute.
    private var panelQueries: [(dashboard: String, panel: String, expr: String)] {
        get throws {
            try dashboards.flatMap { dashboard in
                (dashboard.json["panels"] as? [[String: Any]] ?? []).flatMap { panel in
                    (panel["targets"] as? [[String: Any]] ?? []).compactMap { target in
                        (target["expr"] as? String).map {
                            (dashboard.file, panel["title"] as? String ?? "?", $0.replacingOccurrences(of: "$__rate_interval", with: "1m"))
                        }
                    }
                }
            }
        }
    }

    func testTheComposeFileIsValid() throws {
        let result = try runProcess(try RealTools.dockerCompose(), ["config", "--quiet"], directory: stack)
        XCTAssertEqual(result.status, 0, result.stderr)
        let compose = try String(contentsOfFile: stack + "/docker-compose.yml", encoding: .utf8)
        for mapping in ["3000:3000", "3002:3001", "9090:9090"] {
            XCTAssertTrue(compose.contains("\"127.0.0.1:\(mapping)\""), "\(mapping) must be published on 127.0.0.1 only")
        }
        XCTAssertTrue(compose.contains("GF_SECURITY_ADMIN_PASSWORD: password"))
        XCTAssertTrue(compose.contains("host.docker.internal:host-gateway"))
        XCTAssertFalse(compose.contains(":latest"), "images are pinned")
    }

    func testPromtoolAcceptsTheConfigAndItsRules() throws {
        let result = try runProcess(try RealTools.promtool(), ["check", "config", stack + "/prometheus/prometheus.yml"])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("SUCCESS"), result.stdout)
    }

    func testDashboardsAreValidAndUseTheProvisionedDatasource() throws {
        let provisioning = try String(contentsOfFile: stack + "/grafana/provisioning/datasources/prometheus.yml", encoding: .utf8)
        let uid = try XCTUnwrap(provisioning.split(separator: "\n").first { $0.contains("uid:") }?.split(separator: ":").last?
            .trimmingCharacters(in: .whitespaces))
        let all = try dashboards
        XCTAssertEqual(all.map(\.file), ["apdex.json", "counters-vs-gauges.json", "histograms.json", "requests.json", "scraping.json", "summary-vs-histogram.json"])
        XCTAssertEqual(Set(all.compactMap { $0.json["uid"] as? String }).count, all.count, "dashboard uids are unique")
        for (file, json) in all {
            let panels = try XCTUnwrap(json["panels"] as? [[String: Any]], file)
            XCTAssertFalse(panels.isEmpty, file)
            for panel in panels {
                XCTAssertEqual((panel["datasource"] as? [String: Any])?["uid"] as? String, uid, "\(file): \(panel["title"] ?? "")")
                for target in panel["targets"] as? [[String: Any]] ?? [] {
                    XCTAssertEqual((target["datasource"] as? [String: Any])?["uid"] as? String, uid, "\(file)")
                    XCTAssertFalse((target["expr"] as? String ?? "").isEmpty, "\(file): a target without a query")
                }
            }
        }
        // Every dashboard a lesson's notes point to exists.
        let titles = Set(all.compactMap { $0.json["title"] as? String })
        for lesson in Workbook.lessons {
            if let dashboard = lesson.dashboard { XCTAssertTrue(titles.contains(dashboard), "lesson \(lesson.number)'s dashboard \(dashboard)") }
        }
    }

    func testEveryPanelQueryAndRuleGetsDataFromARealPrometheus() throws {
        let port = try freeLoopbackPort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: buildProductsFolder + "/lesson")
        server.arguments = ["serve", "all", "--port", String(port)]
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        // The stack's own scrape and rule settings, pointed at loopback and sped up.
        let config = """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files:
              - \(stack)/prometheus/rules/*.yml
            scrape_configs:
              - job_name: workbook
                static_configs:
                  - targets: ["127.0.0.1:\(port)"]
            """
        let prometheus = try RealPrometheus(config: config)
        defer { prometheus.stop() }

        // Wait for about fifteen scrapes, so one-minute rates have samples to work with.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let answer = try prometheus.instantQueries([("count_over_time(up[1m])", Int64(Date().timeIntervalSince1970 * 1000))])
            if let value = Self.values(answer.first).first, value >= 15 { break }
            Thread.sleep(forTimeInterval: 1)
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)

        let queries = try panelQueries
        let answers = try prometheus.instantQueries(queries.map { ($0.expr, now) })
        var withData = 0
        for (query, answer) in zip(queries, answers) {
            let values = Self.values(answer)
            XCTAssertFalse(values.isEmpty, "\(query.dashboard) / \(query.panel): \(query.expr) returned no data: \(answer)")
            if !values.isEmpty { withData += 1 }
        }

        let rules = try prometheus.getJSON(["/api/v1/rules"]).first as? [String: Any]
        let groups = ((rules?["data"] as? [String: Any])?["groups"] as? [[String: Any]]) ?? []
        let allRules = groups.flatMap { $0["rules"] as? [[String: Any]] ?? [] }
        let recording = allRules.filter { $0["type"] as? String == "recording" }
        let alerting = allRules.filter { $0["type"] as? String == "alerting" }
        XCTAssertFalse(recording.isEmpty, "the stack should have recording rules")
        XCTAssertFalse(alerting.isEmpty, "the stack should have alerting rules")
        for rule in allRules {
            XCTAssertEqual(rule["health"] as? String, "ok", "rule \(rule["name"] ?? ""): \(rule["lastError"] ?? "")")
        }
        let recorded = try prometheus.instantQueries(recording.map { ($0["name"] as? String ?? "", now) })
        var recordedWithData = 0
        for (rule, answer) in zip(recording, recorded) {
            XCTAssertFalse(Self.values(answer).isEmpty, "recording rule \(rule["name"] ?? "") has no data: \(rule["query"] ?? "")")
            if !Self.values(answer).isEmpty { recordedWithData += 1 }
        }
        let alertAnswers = try prometheus.instantQueries(alerting.map { ($0["query"] as? String ?? "", now) })
        for (rule, answer) in zip(alerting, alertAnswers) {
            XCTAssertEqual((answer as? [String: Any])?["status"] as? String, "success", "alert \(rule["name"] ?? ""): \(answer)")
        }
        print("Stack check: \(withData) of \(queries.count) panel queries returned data, \(recordedWithData) of \(recording.count) recording rules returned data, \(alerting.count) alerting rules evaluated without error")
    }

    /// The values of a successful `/api/v1/query` answer (one per series, or the scalar).
    private static func values(_ answer: Any?) -> [Double] {
        guard let answer = answer as? [String: Any], answer["status"] as? String == "success",
              let data = answer["data"] as? [String: Any]
        else { return [] }
        if data["resultType"] as? String == "scalar" {
            return ((data["result"] as? [Any])?.last as? String).flatMap(Double.init).map { [$0] } ?? []
        }
        return (data["result"] as? [[String: Any]] ?? []).compactMap { (($0["value"] as? [Any])?.last as? String).flatMap(Double.init) }
    }
}
