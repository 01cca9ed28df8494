import Foundation
import HTTP

/// The console's pages: hand-written HTML that the script in `ConsoleAssets` brings to life.
///
/// Every page carries its settings as `data-` attributes on `<main id="console">`, which the
/// script reads: `data-view` (`dashboard` or `query`), `data-dashboard`, `data-lesson`,
/// `data-api`, `data-scrape-interval` and `data-refresh`.
extension WebConsole {
    /// `/`: the lessons with their dashboards, and every dashboard in the folder.
    func indexPage() -> HTTPResponse {
        var rows = ""
        for lesson in lessons {
            let dashboard = lesson.dashboard.map { name in
                "<a href=\"/dashboards/\(name)\">\(name)</a> <a class=\"json\" href=\"/dashboards/\(name).json\">json</a>"
            } ?? "<span class=\"muted\">no visual step</span>"
            rows += """
                <tr><td class="number">\(lesson.number)</td>\
                <td><a href="/lessons/\(escapeHTML(lesson.folder))">\(escapeHTML(lesson.title))</a></td>\
                <td><code>\(escapeHTML(lesson.slug))</code></td><td>\(dashboard)</td></tr>

                """
        }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dashboardsDirectory)) ?? [])
            .filter { $0.hasSuffix(".json") && Self.isDashboardName(String($0.dropLast(5))) }.sorted()
        let dashboards = files.isEmpty
            ? "<p class=\"notice\">No dashboards in <code>\(escapeHTML(dashboardsDirectory))</code>.</p>"
            : "<ul class=\"dashboards\">" + files.map { file in
                let name = String(file.dropLast(5))
                return "<li><a href=\"/dashboards/\(name)\">\(name)</a> <a class=\"json\" href=\"/dashboards/\(file)\">json</a></li>"
            }.joined() + "</ul>"
        let body = """
            <h1>The lessons</h1>
            <p>Each lesson's visual step: the stack's Grafana dashboard, drawn here from its JSON with data from the Prometheus API. \
            Or ask the data yourself on the <a href="/query">query page</a>.</p>
            <table class="lessons">
            <thead><tr><th>#</th><th>lesson</th><th>slug</th><th>dashboard</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            <h2>Dashboards</h2>
            \(dashboards)
            """
        return page(title: "Lessons", body: body)
    }

    /// `/lessons/<NN-slug>`: the lesson's dashboard, or a note that it has none.
    func lessonPage(_ lesson: ConsoleLesson) -> HTTPResponse {
        let heading = "<h1>\(lesson.number). \(escapeHTML(lesson.title))</h1>\n"
            + "<p class=\"muted\">Notes: <code>lessons/\(escapeHTML(lesson.folder)).org</code>, “See it on the stack”.</p>\n"
        guard let dashboard = lesson.dashboard else {
            return page(
                title: lesson.title,
                body: heading + "<p class=\"notice\">This lesson has no dashboard. Try its queries on the <a href=\"/query\">query page</a>.</p>")
        }
        return page(title: lesson.title, body: heading + dashboardMain(dashboard, lesson: lesson.folder))
    }

    /// `/dashboards/<name>`: a dashboard drawn, or a 404 page when its file is missing.
    func dashboardPage(_ name: String) -> HTTPResponse {
        guard FileManager.default.fileExists(atPath: dashboardPath(name)) else {
            return notFoundPage("The dashboard <code>\(escapeHTML(name)).json</code> is not in <code>\(escapeHTML(dashboardsDirectory))</code>.")
        }
        return page(title: name, body: dashboardMain(name, lesson: nil))
    }

    /// `/query`: the expression box; the script reads `expr`, `tab` and `range` from the URL.
    func queryPage() -> HTTPResponse {
        let body = """
            <h1>Query</h1>
            <main id="console" data-view="query" \(settingsAttributes)>
            <form id="query-form" class="query-form">
            <textarea id="expr" name="expr" rows="3" spellcheck="false" placeholder="a PromQL expression, such as rate(http_requests_total[1m])"></textarea>
            <div class="query-controls">
            <button type="submit">Execute</button>
            <select id="metric-names" aria-label="insert a metric name"><option value="">insert metric…</option></select>
            <span class="tabs"><button type="button" data-tab="table">Table</button><button type="button" data-tab="graph">Graph</button></span>
            <span id="range-picker"></span>
            </div>
            </form>
            <div id="query-status" class="muted"></div>
            <div id="query-output" class="query-output"></div>
            </main>
            """
        return page(title: "Query", body: body)
    }

    /// A page with `message` and status 404.
    func notFoundPage(_ message: String) -> HTTPResponse {
        page(status: 404, title: "Not found", body: "<h1>Not found</h1>\n<p>\(message)</p>\n<p><a href=\"/\">The lessons</a></p>")
    }

    /// An HTML page around `body`: the header with its links, the style and the script.
    func page(status: Int = 200, title: String, body: String) -> HTTPResponse {
        let html = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escapeHTML(title)) · workbook console</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="/assets/console.css">
            <script src="/assets/console.js" defer></script>
            </head>
            <body>
            <header class="top"><a class="brand" href="/">workbook console</a><nav><a href="/">lessons</a><a href="/query">query</a></nav></header>
            <div class="page">
            \(body)
            </div>
            </body>
            </html>

            """
        return HTTPResponse(status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: Array(html.utf8))
    }

    /// The `<main>` a dashboard is drawn into, with the time-range picker above it.
    private func dashboardMain(_ name: String, lesson: String?) -> String {
        let lessonAttribute = lesson.map { " data-lesson=\"\(escapeHTML($0))\"" } ?? ""
        // The lessons this server runs: a panel that reads another says how to see it.
        let served = " data-served=\"\(escapeHTML(lessons.map(\.folder).joined(separator: " ")))\""
        return """
            <main id="console" data-view="dashboard" data-dashboard="\(name)"\(lessonAttribute)\(served) \(settingsAttributes)>
            <div class="toolbar"><span id="dashboard-title" class="dashboard-title">\(name)</span><span id="range-picker"></span></div>
            <div id="panels" class="panels"></div>
            </main>
            """
    }

    /// The settings every page hands the script.
    private var settingsAttributes: String {
        "data-api=\"\(escapeHTML(apiBaseURL))\" data-scrape-interval=\"\(number(scrapeIntervalSeconds))\" data-refresh=\"\(number(refreshSeconds))\""
    }

    private func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// `text` with `&`, `<`, `>`, `"` and `'` written as entities, safe in HTML text and attribute values.
func escapeHTML(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&#39;"
        default: escaped.append(character)
        }
    }
    return escaped
}
