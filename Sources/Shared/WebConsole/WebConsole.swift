import Foundation
import HTTP

/// A web console for people: the stack's Grafana dashboards drawn in the browser from their
/// JSON, and a page like Prometheus's graph tab, all served by the workbook's own HTTP server.
///
/// | path | answers |
/// | --- | --- |
/// | `/` | the lessons, each with its dashboard |
/// | `/lessons/<NN-slug>` | that lesson's dashboard, its own panels marked |
/// | `/dashboards/<name>` | a dashboard drawn, without a lesson |
/// | `/dashboards/<name>.json` | the dashboard's JSON, read from the folder at each request |
/// | `/query` | an expression box with table and graph views (`?expr=…&tab=graph\|table&range=15m`) |
/// | `/assets/console.js`, `/assets/console.css` | the script and style, built into the binary |
///
/// The pages draw with their own script: it reads the dashboard JSON and asks the
/// Prometheus HTTP API (`/api/v1/query_range`, `/api/v1/query`, on the same origin unless
/// told another) for the data, so the same pages work over the workbook's API or a real
/// Prometheus. Grafana's variables are resolved as Grafana resolves them; see
/// `ConsoleAssets.script`.
///
/// Compose it with the API and `/metrics` on one port; `handle(_:)` returns nil for a path
/// that is not the console's:
///
/// ```swift
/// let console = WebConsole(lessons: lessons, dashboardsDirectory: root + "/stack/grafana/dashboards")
/// let server = HTTPServer(port: 3001) { request in
///     api.handle(request) ?? metrics.handle(request) ?? console.handle(request) ?? .notFound(request)
/// }
/// ```
public struct WebConsole: Sendable {
    /// The lessons listed on `/`, in the order given.
    public let lessons: [ConsoleLesson]
    /// The folder the dashboards' JSON files are read from, at each request.
    public let dashboardsDirectory: String
    /// How often the data behind the pages is scraped, in seconds: `$__rate_interval` and the
    /// smallest step follow from it, as they follow from a Grafana data source's scrape interval.
    public let scrapeIntervalSeconds: Double
    /// How often the pages fetch their data again while live, in seconds.
    public let refreshSeconds: Double
    /// Where the Prometheus API is, without `/api/v1`: empty for the same origin, or
    /// `http://127.0.0.1:9090` for a Prometheus elsewhere (which must allow the origin by CORS).
    public let apiBaseURL: String

    /// A console for `lessons`, reading dashboards from `dashboardsDirectory`.
    ///
    /// - Parameters:
    ///   - scrapeIntervalSeconds: the scrape interval, above 0; 5 s is what `lesson serve` scrapes at.
    ///   - refreshSeconds: how often live pages refresh, above 0.
    ///   - apiBaseURL: the API's origin; empty (the default) means the console's own.
    public init(
        lessons: [ConsoleLesson], dashboardsDirectory: String, scrapeIntervalSeconds: Double = 5,
        refreshSeconds: Double = 5, apiBaseURL: String = ""
    ) {
        precondition(scrapeIntervalSeconds > 0, "WebConsole: the scrape interval must be above 0 seconds")
        precondition(refreshSeconds > 0, "WebConsole: the refresh interval must be above 0 seconds")
        self.lessons = lessons
        self.dashboardsDirectory = dashboardsDirectory
        self.scrapeIntervalSeconds = scrapeIntervalSeconds
        self.refreshSeconds = refreshSeconds
        self.apiBaseURL = apiBaseURL.hasSuffix("/") ? String(apiBaseURL.dropLast()) : apiBaseURL
    }

    /// The answer to a request for one of the console's paths, or nil for any other path.
    ///
    /// `GET` and `HEAD` are answered (the server leaves out the body of a `HEAD`); any other
    /// method gets 405. A path under `/lessons/`, `/dashboards/` or `/assets/` that names
    /// nothing gets a 404 page, a dashboard name that is not lowercase letters, digits and
    /// `-` a 400, so no name reaches outside the dashboards folder.
    public func handle(_ request: HTTPRequest) -> HTTPResponse? {
        let path = request.path
        let ownsPath = ["/", "/query"].contains(path) || ["/lessons/", "/dashboards/", "/assets/"].contains { path.hasPrefix($0) }
        guard ownsPath else { return nil }
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = page(status: 405, title: "Method not allowed", body: "<p>The console answers GET and HEAD; this was \(escapeHTML(request.method)).</p>")
            response.headers.add(name: "Allow", value: "GET, HEAD")
            return response
        }
        switch path {
        case "/": return indexPage()
        case "/query": return queryPage()
        case "/assets/console.js": return asset(ConsoleAssets.script, type: "text/javascript; charset=utf-8")
        case "/assets/console.css": return asset(ConsoleAssets.style, type: "text/css; charset=utf-8")
        default: break
        }
        if path.hasPrefix("/lessons/") {
            let folder = String(path.dropFirst("/lessons/".count))
            guard let lesson = lessons.first(where: { $0.folder == folder }) else {
                return notFoundPage("There is no lesson <code>\(escapeHTML(folder))</code>.")
            }
            return lessonPage(lesson)
        }
        if path.hasPrefix("/dashboards/") {
            var name = String(path.dropFirst("/dashboards/".count))
            let wantsJSON = name.hasSuffix(".json")
            if wantsJSON { name.removeLast(".json".count) }
            guard Self.isDashboardName(name) else {
                return page(
                    status: 400, title: "Not a dashboard name",
                    body: "<p><code>\(escapeHTML(name))</code> is not a dashboard name: names are lowercase letters, digits and <code>-</code>.</p>")
            }
            return wantsJSON ? dashboardJSON(name) : dashboardPage(name)
        }
        return notFoundPage("Nothing is served at <code>\(escapeHTML(path))</code>.")
    }

    /// A whole handler: the console's paths, and `fallback` (404 by default) for every other path.
    public func makeHandler(
        otherwise fallback: @escaping @Sendable (HTTPRequest) -> HTTPResponse = HTTPResponse.notFound
    ) -> @Sendable (HTTPRequest) -> HTTPResponse {
        { request in handle(request) ?? fallback(request) }
    }

    /// Whether `name` can name a dashboard: one or more lowercase ASCII letters, digits and `-`.
    public static func isDashboardName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    /// The name of the dashboard in `directory` whose JSON has the title `title` (`Histograms`
    /// → `histograms`), or nil when none has; for turning the manifest's dashboard titles into
    /// the names `ConsoleLesson` takes.
    public static func dashboardName(titled title: String, in directory: String) -> String? {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in files.sorted() where file.hasSuffix(".json") {
            let name = String(file.dropLast(".json".count))
            guard isDashboardName(name), let data = FileManager.default.contents(atPath: directory + "/" + file),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { continue }
            if object["title"] as? String == title { return name }
        }
        return nil
    }

    // MARK: Files

    /// The dashboard's JSON as it is on disk now, or a 404 page saying where it was looked for.
    private func dashboardJSON(_ name: String) -> HTTPResponse {
        guard let bytes = FileManager.default.contents(atPath: dashboardPath(name)) else {
            return notFoundPage("The dashboard <code>\(escapeHTML(name)).json</code> is not in <code>\(escapeHTML(dashboardsDirectory))</code>.")
        }
        // Read afresh at every request, so an edited dashboard shows on the next reload.
        return HTTPResponse(status: 200, headers: ["Content-Type": "application/json", "Cache-Control": "no-store"], body: Array(bytes))
    }

    /// Where the dashboard called `name` (already checked by `isDashboardName`) lives.
    func dashboardPath(_ name: String) -> String {
        dashboardsDirectory + "/" + name + ".json"
    }

    private func asset(_ text: String, type: String) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["Content-Type": type, "Cache-Control": "no-cache"], body: Array(text.utf8))
    }
}
