import Foundation
import XCTest

import HTTP
import Platform
import TestSupport
import WebConsole
import WorkbookKit

/// The web console: its routes answered directly, then its pages loaded in a real browser
/// (headless Chromium driven by Selenium) over a stand-in for Prometheus's query API.
final class WebConsoleTests: XCTestCase {
    /// The stack's dashboards, which the console reads at each request.
    static let stackDashboards = LearnersExercise.root.appendingPathComponent("stack/grafana/dashboards").path

    /// The workbook's lessons as the console takes them: the manifest's dashboard titles turned
    /// into file names, as whoever mounts the console does.
    static func manifestLessons() -> [ConsoleLesson] {
        Workbook.lessons.map { lesson in
            ConsoleLesson(
                number: lesson.number, slug: lesson.slug, title: lesson.title,
                dashboard: lesson.dashboard.flatMap { WebConsole.dashboardName(titled: $0, in: stackDashboards) })
        }
    }

    private func makeConsole(dashboards: String = stackDashboards) -> WebConsole {
        WebConsole(lessons: Self.manifestLessons(), dashboardsDirectory: dashboards)
    }

    private func get(_ console: WebConsole, _ path: String, method: String = "GET") throws -> HTTPResponse {
        try XCTUnwrap(console.handle(HTTPRequest(method: method, path: path)), "the console should answer \(path)")
    }

    private func text(_ response: HTTPResponse) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    /// A fresh folder under the temporary directory, removed when the test ends.
    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("webconsole-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    // MARK: The lessons and their dashboards

    /// Every lesson with a visual step names a dashboard title that a file in the stack has,
    /// and each dashboard selects, by `lesson=~"NN-slug|"`, some of the lessons pointing to it.
    func testEveryManifestDashboardIsAFileWhoseQueriesSelectItsLessons() throws {
        var lessonsOf: [String: [String]] = [:]
        for (info, lesson) in zip(Workbook.lessons, Self.manifestLessons()) where info.dashboard != nil {
            let name = try XCTUnwrap(lesson.dashboard, "lesson \(info.number)'s dashboard \(info.dashboard!) is not a file in stack/grafana/dashboards")
            lessonsOf[name, default: []].append(lesson.folder)
        }
        for (name, folders) in lessonsOf where name != "scraping" {
            // The scraping dashboard shows the scrape's own series (up, scrape_duration_seconds), which have no lesson label.
            let json = try String(contentsOfFile: Self.stackDashboards + "/\(name).json", encoding: .utf8)
            XCTAssertTrue(folders.contains { json.contains("lesson=~\\\"\($0)|") }, "\(name).json selects none of \(folders)")
        }
        XCTAssertEqual(WebConsole.dashboardName(titled: "Histograms", in: Self.stackDashboards), "histograms")
        XCTAssertNil(WebConsole.dashboardName(titled: "No such dashboard", in: Self.stackDashboards))
    }

    // MARK: Routes

    func testIndexListsEveryLessonWithItsDashboard() throws {
        let response = try get(makeConsole(), "/")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["Content-Type"], "text/html; charset=utf-8")
        let page = text(response)
        for lesson in Self.manifestLessons() {
            XCTAssertTrue(page.contains("href=\"/lessons/\(lesson.folder)\""), "no link to lesson \(lesson.folder)")
            XCTAssertTrue(page.contains(lesson.title), "no title for lesson \(lesson.folder)")
            if let dashboard = lesson.dashboard {
                XCTAssertTrue(page.contains("href=\"/dashboards/\(dashboard).json\""), "no dashboard link for \(lesson.folder)")
            }
        }
        XCTAssertTrue(page.contains("<script src=\"/assets/console.js\" defer></script>"))
        XCTAssertTrue(page.contains("<link rel=\"stylesheet\" href=\"/assets/console.css\">"))
    }

    func testLessonPageNamesItsDashboardAndLesson() throws {
        let console = WebConsole(
            lessons: [ConsoleLesson(number: 5, slug: "histogram-buckets", title: "Histogram <buckets>", dashboard: "histograms")],
            dashboardsDirectory: Self.stackDashboards, scrapeIntervalSeconds: 15, refreshSeconds: 10, apiBaseURL: "http://127.0.0.1:9090/")
        let response = try get(console, "/lessons/05-histogram-buckets")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["Content-Type"], "text/html; charset=utf-8")
        let page = text(response)
        XCTAssertTrue(page.contains("data-view=\"dashboard\" data-dashboard=\"histograms\" data-lesson=\"05-histogram-buckets\""))
        XCTAssertTrue(page.contains("data-api=\"http://127.0.0.1:9090\" data-scrape-interval=\"15\" data-refresh=\"10\""))
        XCTAssertTrue(page.contains("5. Histogram &lt;buckets&gt;"), "titles are escaped")

        XCTAssertEqual(try get(console, "/lessons/06-histogram-quantiles").status, 404)
        XCTAssertEqual(try get(console, "/lessons/5").status, 404)
        XCTAssertEqual(try get(console, "/lessons/").status, 404)
    }

    func testLessonWithoutDashboardSaysSo() throws {
        let console = WebConsole(
            lessons: [ConsoleLesson(number: 12, slug: "no-visual", title: "No visual step", dashboard: nil)], dashboardsDirectory: Self.stackDashboards)
        let response = try get(console, "/lessons/12-no-visual")
        XCTAssertEqual(response.status, 200)
        XCTAssertTrue(text(response).contains("This lesson has no dashboard"))
        XCTAssertFalse(text(response).contains("data-dashboard"))
    }

    func testDashboardJSONIsReadFromTheFolderAtEachRequest() throws {
        let folder = try temporaryFolder()
        let console = makeConsole(dashboards: folder.path)
        let file = folder.appendingPathComponent("mine.json")
        try Data(#"{"title": "first"}"#.utf8).write(to: file)
        let first = try get(console, "/dashboards/mine.json")
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(first.headers["Content-Type"], "application/json")
        XCTAssertEqual(text(first), #"{"title": "first"}"#)
        try Data(#"{"title": "second"}"#.utf8).write(to: file)
        XCTAssertEqual(text(try get(console, "/dashboards/mine.json")), #"{"title": "second"}"#)
        XCTAssertEqual(try get(console, "/dashboards/mine").status, 200)

        try FileManager.default.removeItem(at: file)
        let missing = try get(console, "/dashboards/mine.json")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.headers["Content-Type"], "text/html; charset=utf-8")
        XCTAssertTrue(text(missing).contains("The dashboard <code>mine.json</code> is not in <code>\(folder.path)</code>"))
        XCTAssertEqual(try get(console, "/dashboards/mine").status, 404)
    }

    func testStackDashboardsAreServedAsTheyAreOnDisk() throws {
        let console = makeConsole()
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.stackDashboards).filter { $0.hasSuffix(".json") }
        XCTAssertEqual(names.count, 6)
        for name in names {
            let response = try get(console, "/dashboards/\(name)")
            XCTAssertEqual(response.status, 200, name)
            XCTAssertEqual(response.body, Array(try Data(contentsOf: URL(fileURLWithPath: Self.stackDashboards + "/" + name))), name)
        }
    }

    /// A name outside [a-z0-9-]+ never reaches the file system: no `..`, no slash, no encoding.
    func testDashboardNamesCannotLeaveTheFolder() throws {
        let root = try temporaryFolder()
        let dashboards = root.appendingPathComponent("dashboards")
        try FileManager.default.createDirectory(at: dashboards, withIntermediateDirectories: true)
        try Data(#"{"secret": true}"#.utf8).write(to: root.appendingPathComponent("secret.json"))
        let console = makeConsole(dashboards: dashboards.path)
        for name in ["../secret.json", "..%2Fsecret.json", "%2e%2e/secret.json", "../secret", "..", "Secret.json", "a/b.json",
                     ".json", "secret.json.json", "sec ret.json", "secret%00.json", "~/secret.json", "/etc/passwd"] {
            let response = try get(console, "/dashboards/" + name)
            XCTAssertTrue([400, 404].contains(response.status), "/dashboards/\(name) answered \(response.status)")
            XCTAssertFalse(text(response).contains("\"secret\""), "/dashboards/\(name) leaked the file")
        }
        XCTAssertEqual(try get(console, "/dashboards/../secret.json").status, 400)
        XCTAssertTrue(WebConsole.isDashboardName("summary-vs-histogram2"))
        XCTAssertFalse(WebConsole.isDashboardName(""))
        XCTAssertFalse(WebConsole.isDashboardName("a.b"))
        XCTAssertFalse(WebConsole.isDashboardName("é"))
    }

    func testQueryPageHasTheExpressionBoxAndViews() throws {
        let response = try get(makeConsole(), "/query")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["Content-Type"], "text/html; charset=utf-8")
        let page = text(response)
        for part in ["data-view=\"query\"", "<textarea id=\"expr\"", "data-tab=\"table\"", "data-tab=\"graph\"", "id=\"range-picker\"", "id=\"query-output\""] {
            XCTAssertTrue(page.contains(part), "the query page has no \(part)")
        }
    }

    func testAssetsAreEmbeddedWithTheirTypes() throws {
        let console = makeConsole()
        let script = try get(console, "/assets/console.js")
        XCTAssertEqual(script.status, 200)
        XCTAssertEqual(script.headers["Content-Type"], "text/javascript; charset=utf-8")
        XCTAssertEqual(text(script), ConsoleAssets.script)
        XCTAssertGreaterThan(script.body.count, 10_000)
        let style = try get(console, "/assets/console.css")
        XCTAssertEqual(style.status, 200)
        XCTAssertEqual(style.headers["Content-Type"], "text/css; charset=utf-8")
        XCTAssertEqual(text(style), ConsoleAssets.style)
        XCTAssertGreaterThan(style.body.count, 1_000)
        XCTAssertEqual(try get(console, "/assets/other.js").status, 404)
        // Offline: nothing is fetched from another host.
        for asset in [ConsoleAssets.script, ConsoleAssets.style] {
            XCTAssertFalse(asset.contains("//cdn") || asset.contains("import(") || asset.contains("@import"))
        }
    }

    /// `node --check` parses the script (skipped where there is no node).
    func testScriptParses() throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard let node = path.split(separator: ":").map({ "\($0)/node" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("node is not installed; the browser test parses the script too")
        }
        let file = try temporaryFolder().appendingPathComponent("console.js")
        try Data(ConsoleAssets.script.utf8).write(to: file)
        let result = try runProcess(node, ["--check", file.path], timeout: 60)
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testOtherPathsAndMethods() throws {
        let console = makeConsole()
        XCTAssertNil(console.handle(HTTPRequest(path: "/metrics")), "paths that are not the console's are left to others")
        XCTAssertNil(console.handle(HTTPRequest(path: "/api/v1/query")))
        XCTAssertEqual(console.makeHandler()(HTTPRequest(path: "/nowhere")).status, 404)

        let post = try get(console, "/", method: "POST")
        XCTAssertEqual(post.status, 405)
        XCTAssertEqual(post.headers["Allow"], "GET, HEAD")
        XCTAssertEqual(try get(console, "/dashboards/histograms.json", method: "DELETE").status, 405)
        let head = try get(console, "/query", method: "HEAD")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.headers["Content-Type"], "text/html; charset=utf-8")
    }

    /// Through the workbook's server, on a socket: routes, types and the server's own 405.
    func testServedOverHTTP() throws {
        let console = makeConsole()
        let server = HTTPServer(port: 0, handler: console.makeHandler())
        try server.start()
        defer { server.stop() }
        let page = try HTTPClient.get(url: server.url + "/lessons/02-counters-vs-gauges")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.headers["content-type"], "text/html; charset=utf-8")
        let json = try HTTPClient.get(url: server.url + "/dashboards/counters-vs-gauges.json")
        XCTAssertEqual(json.headers["content-type"], "application/json")
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(json.body)))
        XCTAssertEqual(try HTTPClient.get(url: server.url + "/dashboards/..%2f..%2fPackage.json").status, 400)
        XCTAssertEqual(try HTTPClient.get(url: server.url + "/missing").status, 404)
    }

    // MARK: In a real browser

    /// Every page in headless Chromium: the index, every lesson's dashboard, a dashboard with every
    /// panel type, and the query page's graph, table and error. No JavaScript error, no panel
    /// showing "No data" or an error while the API has data, no blank chart; one screenshot a page.
    func testPagesDrawInARealBrowser() throws {
        let python = try RealTools.pythonWithSelenium()
        let chromium = try RealTools.chromium()
        let chromedriver = try RealTools.chromedriver()

        let api = SyntheticPrometheusAPI()
        let console = makeConsole()
        let server = HTTPServer(port: 0) { request in api.handle(request) ?? console.handle(request) ?? .notFound(request) }
        try server.start()
        defer { server.stop() }
        // A second console over a folder with one dashboard holding every panel type.
        let folder = try temporaryFolder()
        try Data(Self.everyPanelDashboard.utf8).write(to: folder.appendingPathComponent("every-panel.json"))
        let other = WebConsole(lessons: [], dashboardsDirectory: folder.path)
        let otherServer = HTTPServer(port: 0) { request in api.handle(request) ?? other.handle(request) ?? .notFound(request) }
        try otherServer.start()
        defer { otherServer.stop() }

        var plan: [[String: Any]] = [["url": server.url + "/", "kind": "index", "name": "index", "lessons": Workbook.lessons.count]]
        for lesson in Self.manifestLessons() {
            guard let dashboard = lesson.dashboard else { continue }
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.stackDashboards + "/\(dashboard).json")))
            let panels = ((json as? [String: Any])?["panels"] as? [Any])?.count ?? 0
            plan.append(["url": server.url + "/lessons/\(lesson.folder)", "kind": "dashboard", "name": "lesson-\(lesson.folder)", "panels": panels])
        }
        plan.append([
            "url": otherServer.url + "/dashboards/every-panel", "kind": "dashboard", "name": "dashboard-every-panel", "panels": 12,
            "states": ["Broken query": "error", "Empty": "nodata", "Pie": "unsupported"],
            "allowed_errors": ["status of 400"],
        ])
        let expression = "sum by (route) (rate(http_requests_total[1m]))".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        plan += [
            ["url": server.url + "/query?expr=\(expression)&tab=graph&range=1h", "kind": "query", "name": "query-graph"],
            ["url": server.url + "/query?expr=\(expression)&tab=table", "kind": "query", "name": "query-table"],
            ["url": server.url + "/query?expr=bad(&tab=graph", "kind": "query", "name": "query-error", "state": "error",
             "allowed_errors": ["status of 400"]],
        ]
        let work = try temporaryFolder()
        let planFile = work.appendingPathComponent("plan.json")
        try JSONSerialization.data(withJSONObject: plan, options: [.prettyPrinted]).write(to: planFile)
        let screenshots = ProcessInfo.processInfo.environment["WEBCONSOLE_SCREENSHOTS"]
            ?? LearnersExercise.root.appendingPathComponent(".build/browser-screenshots").path
        try FileManager.default.createDirectory(atPath: screenshots, withIntermediateDirectories: true)

        let script = LearnersExercise.root.appendingPathComponent("Tests/SharedTests/Browser/check_console.py").path
        let result = try runProcess(
            python, [script, "--chromium", chromium, "--chromedriver", chromedriver, "--plan", planFile.path, "--screenshots", screenshots],
            timeout: 400)
        XCTAssertEqual(result.status, 0, "the browser check failed:\n\(result.stdout)\n\(result.stderr)")

        // Grafana's variables reached the API resolved: a 5 s scrape interval and a 5 s step
        // make $__rate_interval 20s; nothing arrived with a $ left in it (the stand-in refuses those).
        let queries = api.receivedQueries
        XCTAssertFalse(queries.isEmpty)
        XCTAssertTrue(queries.contains { $0.contains("[20s]") }, "no query used $__rate_interval = 20s: \(queries.prefix(5))")
        XCTAssertFalse(queries.contains { $0.contains("$") }, "a variable was left unresolved")
        XCTAssertTrue(api.receivedSteps.allSatisfy { $0 >= 5 }, "a step was below the scrape interval: \(api.receivedSteps)")
    }

    /// A dashboard with every panel type the console draws, one it does not, one query the API
    /// refuses and one that matches nothing.
    static let everyPanelDashboard = """
        {
          "title": "Every panel", "time": {"from": "now-5m", "to": "now"}, "refresh": "5s",
          "templating": {"list": [{"name": "job", "type": "custom", "current": {"text": "shop", "value": "shop"}}]},
          "panels": [
            {"type": "row", "title": "A row", "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1}},
            {"type": "stat", "title": "Stat", "gridPos": {"x": 0, "y": 1, "w": 6, "h": 6},
             "fieldConfig": {"defaults": {"unit": "short", "thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": null}, {"color": "red", "value": 12}]}}},
             "targets": [{"refId": "A", "expr": "up{job=\\"$job\\"}", "legendFormat": "{{instance}}"}]},
            {"type": "gauge", "title": "Gauge", "gridPos": {"x": 6, "y": 1, "w": 6, "h": 6},
             "fieldConfig": {"defaults": {"unit": "percentunit", "thresholds": {"mode": "percentage", "steps": [{"color": "red", "value": null}, {"color": "green", "value": 80}]}}},
             "targets": [{"refId": "A", "expr": "vector(0.9)"}]},
            {"type": "bargauge", "title": "Bar gauge", "gridPos": {"x": 12, "y": 1, "w": 6, "h": 6},
             "fieldConfig": {"defaults": {"unit": "reqps", "max": 20}},
             "targets": [{"refId": "A", "expr": "sum by (route) (rate(http_requests_total[$__rate_interval]))", "legendFormat": "{{route}}"}]},
            {"type": "table", "title": "Table", "gridPos": {"x": 18, "y": 1, "w": 6, "h": 6},
             "targets": [{"refId": "A", "expr": "up", "instant": true, "format": "table"}]},
            {"type": "timeseries", "title": "Thresholds and units", "gridPos": {"x": 0, "y": 7, "w": 12, "h": 8},
             "fieldConfig": {"defaults": {"unit": "ms", "custom": {"fillOpacity": 20, "thresholdsStyle": {"mode": "line"}},
               "thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": null}, {"color": "dark-red", "value": 12}]}}},
             "targets": [{"refId": "A", "expr": "rate(http_requests_total{job=\\"$job\\"}[$__rate_interval]) * $__range_s / $__range_s", "legendFormat": "{{route}} ($job)"}]},
            {"type": "heatmap", "title": "Heatmap", "gridPos": {"x": 12, "y": 7, "w": 12, "h": 8},
             "options": {"calculate": false, "yAxis": {"unit": "s"}, "color": {"mode": "scheme", "scheme": "Blues"}},
             "targets": [{"refId": "A", "expr": "sum by (le) (increase(http_request_duration_seconds_bucket[$__interval]))", "format": "heatmap", "legendFormat": "{{le}}"}]},
            {"type": "timeseries", "title": "Broken query", "gridPos": {"x": 0, "y": 15, "w": 8, "h": 6},
             "targets": [{"refId": "A", "expr": "bad("}]},
            {"type": "timeseries", "title": "Empty", "gridPos": {"x": 8, "y": 15, "w": 8, "h": 6},
             "targets": [{"refId": "A", "expr": "absent_metric"}]},
            {"type": "piechart", "title": "Pie", "gridPos": {"x": 16, "y": 15, "w": 8, "h": 6},
             "targets": [{"refId": "A", "expr": "up"}]},
            {"type": "text", "title": "Text", "gridPos": {"x": 0, "y": 21, "w": 12, "h": 4}, "options": {"content": "Plain <b>text</b>, not HTML."}},
            {"type": "graph", "title": "Old graph", "gridPos": {"x": 12, "y": 21, "w": 12, "h": 4}, "hiddenSeries": {},
             "targets": [{"refId": "A", "expr": "scrape_duration_seconds"}, {"refId": "B", "expr": "up", "hide": true}]}
          ]
        }
        """
}

/// A stand-in for Prometheus's query API: synthetic series in its exact JSON shapes, for any
/// expression. `/api/v1/query_range` answers a matrix, `/api/v1/query` a vector; an expression
/// with `bad(` or a `$` left in it is refused with `bad_data`, as Prometheus refuses a parse
/// error, and one with `absent_metric` matches nothing.
/// See https://prometheus.io/docs/prometheus/latest/querying/api/#expression-query-result-formats
final class SyntheticPrometheusAPI: Sendable {
    private let received = Locked((queries: [String](), steps: [Double]()))

    /// Every expression asked, in order.
    var receivedQueries: [String] { received.withLock { $0.queries } }
    /// Every range query's step, in seconds.
    var receivedSteps: [Double] { received.withLock { $0.steps } }

    /// The upper bounds of the synthetic histogram's buckets.
    static let bounds = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"]

    func handle(_ request: HTTPRequest) -> HTTPResponse? {
        guard request.path.hasPrefix("/api/v1/") else { return nil }
        let parameters = Self.parameters(request.query)
        switch request.path {
        case "/api/v1/label/__name__/values":
            return Self.success(["http_requests_total", "http_request_duration_seconds_bucket", "up"])
        case "/api/v1/query_range":
            guard let query = parameters["query"], let start = parameters["start"].flatMap(Double.init),
                  let end = parameters["end"].flatMap(Double.init), let step = parameters["step"].flatMap(Double.init),
                  step > 0, end >= start, (end - start) / step <= 11_000
            else { return Self.error("bad_data", "invalid parameter: start, end and step are needed, with at most 11,000 steps", status: 400) }
            received.withLock { $0.queries.append(query); $0.steps.append(step) }
            if let refusal = Self.refusal(query) { return refusal }
            let times = stride(from: start, through: end, by: step).map { $0 }
            let result: [[String: Any]] = Self.series(for: query).map { labels, value in
                ["metric": labels, "values": times.map { [$0, Self.format(value($0))] as [Any] }]
            }
            return Self.success(["resultType": "matrix", "result": result])
        case "/api/v1/query":
            guard let query = parameters["query"] else { return Self.error("bad_data", "query is missing", status: 400) }
            received.withLock { $0.queries.append(query) }
            if let refusal = Self.refusal(query) { return refusal }
            let time = parameters["time"].flatMap(Double.init) ?? Date().timeIntervalSince1970
            let result: [[String: Any]] = Self.series(for: query).map { labels, value in
                ["metric": labels, "value": [time, Self.format(value(time))] as [Any]]
            }
            return Self.success(["resultType": "vector", "result": result])
        default:
            return Self.error("not_found", "no such endpoint", status: 404)
        }
    }

    private static func refusal(_ query: String) -> HTTPResponse? {
        if query.contains("$") { return error("bad_data", "1:1: parse error: unexpected character: '$'", status: 400) }
        if query.contains("bad(") { return error("bad_data", "1:5: parse error: unexpected end of input", status: 400) }
        return nil
    }

    /// Series for `query`: cumulative buckets for a `by (le)`, one or two quantiles for
    /// `histogram_quantile`, two labelled series otherwise; values wave slowly over time.
    private static func series(for query: String) -> [([String: String], @Sendable (Double) -> Double)] {
        if query.contains("absent_metric") { return [] }
        if query.hasPrefix("histogram_quantile") {
            let instances = query.contains("le, instance") ? ["127.0.0.1:3001", "127.0.0.1:3002"] : [nil]
            return instances.enumerated().map { index, instance in
                (instance.map { ["instance": $0] } ?? [:], { time in 0.2 + 0.05 * Double(index) + 0.04 * sin(time / 50) })
            }
        }
        if query.contains("by (le)") {
            return bounds.map { bound in
                // Cumulative: a bucket holds every observation at or below its bound.
                let share = bound == "+Inf" ? 1 : 1 - exp(-(Double(bound)! / 0.3))
                return (["le": bound], { time in (40 + 10 * sin(time / 40)) * share })
            }
        }
        if query.hasPrefix("vector(") { return [([:], { _ in 0.9 })] }
        return [
            (["__name__": "up", "instance": "127.0.0.1:3001", "job": "shop", "route": "/checkout", "code": "200", "quantile": "0.5", "lesson": "01-exposition"],
             { time in 10 + 4 * sin(time / 60) }),
            (["__name__": "up", "instance": "127.0.0.1:3002", "job": "shop", "route": "/cart", "code": "500", "quantile": "0.9", "lesson": "01-exposition"],
             { time in 6 + 3 * cos(time / 45) }),
        ]
    }

    /// A sample value as Prometheus writes it: a string, `+Inf`, `-Inf` or `NaN` included.
    private static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return String(value)
    }

    private static func success(_ data: Any) -> HTTPResponse {
        json(["status": "success", "data": data], status: 200)
    }

    private static func error(_ type: String, _ message: String, status: Int) -> HTTPResponse {
        json(["status": "error", "errorType": type, "error": message], status: status)
    }

    private static func json(_ object: [String: Any], status: Int) -> HTTPResponse {
        let body = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Array(body))
    }

    /// The URL query's parameters, percent-decoded, `+` read as a space.
    private static func parameters(_ query: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text) }
            parameters[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return parameters
    }
}
