import Foundation
import Platform
import Instrumentation
import HTTP
import Scraping
import PromQL
import PrometheusAPI
import WebConsole
import WorkbookKit
import Lesson11AlertsAndSlos

/// `lesson serve [N|all] [--host H] [--port P] [--scrape-interval D] [--retention D] [--prometheus 2|3]`:
/// keep lesson demos running with simulated traffic and serve their metrics on `/metrics`
/// (port 3001 unless told otherwise).
///
/// Each lesson's program serves on a private loopback port, and this command answers on the
/// public one. One lesson: every path it does not answer itself goes to that program,
/// `/metrics` included, unchanged. All of them: `/metrics` merges their expositions (each
/// sample labelled `lesson="NN-slug"`) and every other path goes to the lesson service of
/// lesson 10, so `lesson load` has something to call. The merged
/// exposition is negotiated as a single lesson's is: a scraper that asks for OpenMetrics
/// (Prometheus does) gets the lessons' OpenMetrics merged, units, `_created` and exemplars
/// included; anyone else gets text 0.0.4.
///
/// Either way it is also a small Prometheus: it scrapes its own `/metrics` every
/// `--scrape-interval` (5 s), keeps `--retention` (1 h) of it (`ServeHistory`), answers the
/// read side of Prometheus's HTTP API under `/api/v1` (so Grafana's Prometheus data source
/// works against it), and draws the stack's dashboards for people at `/` (`WebConsole`; a
/// request for `/` that does not accept HTML goes to the lesson service, as `lesson load`'s do).
struct ServeCommand {
    let arguments: ArraySlice<String>
    /// Starts a lesson's program with flags; quietly (its standard output discarded) when asked.
    let start: (LessonInfo, [String], Bool) -> Process?

    func run() -> Int32 {
        var words = arguments
        var which = "all"
        if let first = words.first, !first.hasPrefix("--") {
            which = first
            words.removeFirst()
        }
        var host = "127.0.0.1", port: UInt16 = 3001
        var history = HistorySettings()
        while let flag = words.popFirst() {
            guard let value = words.popFirst() else { return fail("\(flag) needs a value") }
            switch flag {
            case "--host": host = value
            case "--port":
                guard let number = UInt16(value) else { return fail("--port takes a number from 0 to 65535, not \(value)") }
                port = number
            case "--scrape-interval", "--retention":
                guard let milliseconds = PromQLParser.duration(value) ?? Double(value).flatMap({ $0.isFinite && $0 > 0 && $0 < 1e9 ? Int64($0 * 1000) : nil }),
                      milliseconds >= 100 else {
                    return fail("\(flag) takes a duration such as 5s or 1h (at least 100ms), not \(value)")
                }
                if flag == "--retention" { history.retention = Double(milliseconds) / 1000 } else { history.interval = Double(milliseconds) / 1000 }
            case "--prometheus":
                guard let semantics = PromQLSemantics(rawValue: value) else { return fail("--prometheus takes 2 or 3") }
                history.semantics = semantics
            default: return fail("unknown option \(flag) (use --host H, --port P, --scrape-interval D, --retention D, --prometheus 2|3)")
            }
        }
        guard history.retention >= history.interval else { return fail("--retention must be at least --scrape-interval") }
        if which != "all" {
            guard let lesson = Workbook.lesson(named: which) else {
                return fail("no lesson \"\(which)\"; there are \(Workbook.lessons.count) (`swift run lesson list` shows them)")
            }
            return serve([lesson], host: host, port: port, settings: history)
        }
        return serve(Workbook.lessons, host: host, port: port, settings: history)
    }

    /// How `serve all` keeps and answers its own history.
    struct HistorySettings {
        var interval = 5.0
        var retention = 3600.0
        var semantics = PromQLSemantics.prometheus3
    }

    /// Serves `lessons`, each from its program on a private loopback port, with the history,
    /// the query API and the web console on the public port.
    ///
    /// One lesson (`serve N`): its program's answers pass through unchanged, `/metrics`
    /// included, and the history labels what it scrapes `lesson="NN-slug"`, as a Prometheus
    /// target label would, so the dashboards' queries find it as they do under `serve all`.
    /// Every lesson (`serve all`): `/metrics` is their expositions merged, each sample labelled
    /// with its lesson, and other paths go to lesson 10's service.
    private func serve(_ lessons: [LessonInfo], host: String, port: UInt16, settings: HistorySettings) -> Int32 {
        let single = lessons.count == 1 ? lessons[0] : nil
        if single == nil { LessonPrograms.prepareAll() }
        var children: [LessonSupervisor.Child] = []
        for lesson in lessons {
            guard let childPort = try? freePort() else {
                stop(children.compactMap(\.process))
                return fail("no free port for lesson \(lesson.number)'s server", status: 1)
            }
            // A lesson whose exercise does not compile has no program; the others still serve.
            guard let process = start(lesson, LessonSupervisor.serveFlags(port: childPort), true) else {
                if single != nil { return 1 }
                printError("lesson serve: lesson \(lesson.number) is left out (see above); the other lessons are served")
                continue
            }
            children.append(.init(lesson: lesson, port: childPort, process: process))
        }
        guard !children.isEmpty else { return fail("no lesson could be started", status: 1) }
        let supervisor = LessonSupervisor(children: children, start: start)
        // Proxied requests to the lesson service may be slow; they get at most half the
        // handler threads, so /metrics is always answered. POST is for the query API's forms.
        let limits = HTTPServerLimits(maxBodyBytes: 64 * 1024, handlerThreads: 16, methods: ["GET", "HEAD", "POST"])
        let service = children.first { single != nil || $0.lesson.number == 10 }.map {
            HTTPProxy(origin: "http://127.0.0.1:\($0.port)", maxConcurrent: limits.handlerThreads / 2)
        }
        let sources = supervisor.sources
        let reported = Locked<Set<String>>([])
        let history = Locked<ServeHistory?>(nil)
        let api = Locked<PrometheusAPIEndpoint?>(nil)
        let console = Self.console(lessons: lessons, scrapeInterval: settings.interval)
        let server = HTTPServer(host: host, port: port, limits: limits) { request in
            if request.path == "/metrics", single == nil {
                let negotiated = MetricsEndpoint.negotiate(accept: request.headers["Accept"], offering: ExpositionFormat.allCases)
                return Self.mergedMetrics(sources, negotiated, reported: reported, supervisor: supervisor, history: history.withLock { $0 })
            }
            if let answer = api.withLock({ $0 })?.handle(request) { return answer }
            guard request.method != "POST" else {
                var refusal = HTTPResponse.text("POST is for the query API under /api/v1; \(request.path) answers GET and HEAD\n", status: 405)
                refusal.headers["Allow"] = "GET, HEAD"
                return refusal
            }
            if request.path != "/" || request.headers["Accept"]?.contains("text/html") == true, let page = console?.handle(request) {
                return page
            }
            guard let service else { return HTTPResponse.notFound(request) }
            return service.forward(request)
        }
        do {
            try server.start()
            try supervisor.watch()
        } catch {
            supervisor.stopAll()
            if let single {
                printError("lesson \(single.number): \(error)")
                return 1
            }
            return fail("\(error)", status: 1)
        }
        // The history scrapes this server as Prometheus would: over HTTP, asking for OpenMetrics.
        let scrapeHost = ["0.0.0.0", "::", "[::]"].contains(host) ? "127.0.0.1" : host
        let kept = ServeHistory(
            url: "http://\(scrapeHost):\(server.port)/metrics", interval: settings.interval, retention: settings.retention,
            rules: WorkbookRules.recording.map { ($0.record, $0.expr) }, semantics: settings.semantics,
            targetLabels: single.map { ["lesson": $0.folder] } ?? [:], readsMetadata: single != nil)
        var engine = PromQLEngine(store: kept.store, semantics: settings.semantics)
        engine.timeoutSeconds = 30
        api.withLock { $0 = PrometheusAPIEndpoint(engine: engine, metadata: kept, targets: kept) }
        history.withLock { $0 = kept }
        do {
            try kept.start()
        } catch {
            printError("lesson serve: the history could not start (\(error)); /metrics is served, the query API has no data")
        }
        if let single {
            print("Lesson \(single.number) (\(single.slug)) serves its metrics on \(server.url)/metrics; Ctrl-C stops it.")
        } else {
            print("Serving every lesson's metrics on \(server.url)/metrics (each sample labelled lesson=\"NN-slug\"); Ctrl-C stops.")
        }
        print("Keeping \(ServeHistory.duration(settings.retention)) of its own scrapes, one every \(ServeHistory.duration(settings.interval)): at most \(Int(settings.retention / settings.interval) + 2) samples a series, in memory (Prometheus \(settings.semantics.rawValue) semantics).")
        print("Dashboards: \(server.url)/   Prometheus API: \(server.url)/api/v1/query (Grafana's Prometheus data source works against \(server.url)).")
        fflush(nil)
        server.runUntilTerminated()
        kept.stop()
        supervisor.stopAll()
        return 0
    }

    /// The web console over the stack's dashboards, when the workbook's folder is at hand.
    private static func console(lessons: [LessonInfo], scrapeInterval: Double) -> WebConsole? {
        guard let root = PackageRoot.url?.path else { return nil }
        let directory = root + "/stack/grafana/dashboards"
        let lessons = lessons.map {
            ConsoleLesson(number: $0.number, slug: $0.slug, title: $0.title,
                          dashboard: $0.dashboard.flatMap { WebConsole.dashboardName(titled: $0, in: directory) })
        }
        return WebConsole(lessons: lessons, dashboardsDirectory: directory, scrapeIntervalSeconds: scrapeInterval)
    }

    /// Every lesson's exposition, fetched now in the negotiated format and merged in it, names
    /// written as the scraper's escaping scheme asks (Prometheus 3's `escaping=` in Accept).
    private static func mergedMetrics(
        _ sources: [(lesson: String, url: String)], _ negotiated: MetricsEndpoint.Negotiation, reported: Locked<Set<String>>,
        supervisor: LessonSupervisor, history: ServeHistory?
    ) -> HTTPResponse {
        let format = negotiated.format
        var merged: [ExpositionMerger.Source] = []
        var answered: [String: Bool] = [:]
        let accept = format == .openmetrics ? "application/openmetrics-text; version=1.0.0" : "text/plain; version=0.0.4"
        for source in sources {
            // A lesson answering in another format than asked is left out: the two cannot be mixed.
            guard let response = try? HTTPClient.get(url: source.url + "/metrics", headers: ["Accept": accept], timeout: 5),
                  response.status == 200,
                  ExpositionFormat(contentType: response.headers["Content-Type"] ?? "") == format,
                  let families = try? ExpositionParser.parseFamilies(response.body, format: format)
            else {
                answered[source.lesson] = false
                continue
            }
            answered[source.lesson] = true
            supervisor.noteAnswered(source.lesson)
            merged.append(ExpositionMerger.Source(labels: ["lesson": source.lesson], families: families))
        }
        // Which lessons answered: a lesson that stopped does not just vanish from the exposition.
        let up = ScrapedFamily(
            name: "workbook_lesson_up", type: .gauge, help: "Whether the lesson's program answered this scrape (1) or not (0).",
            samples: sources.map { ScrapedSample(name: "workbook_lesson_up", labels: ["lesson": $0.lesson], value: answered[$0.lesson] == true ? 1 : 0) })
        merged.append(ExpositionMerger.Source(labels: [:], families: [up]))
        history?.noteFamilies(merged.flatMap(\.families))
        let (text, conflicts) = ExpositionMerger.merge(merged, format: format, escaping: negotiated.escaping)
        for conflict in conflicts where reported.withLock({ $0.insert(conflict).inserted }) {
            printError("lesson serve: \(conflict)")
        }
        return HTTPResponse(status: 200, headers: ["Content-Type": negotiated.contentType, "Vary": "Accept"], body: text)
    }

    private func stop(_ processes: [Process]) {
        for process in processes where process.isRunning { process.terminate() }
        processes.forEach { $0.waitUntilExit() }
    }

    private func freePort() throws -> UInt16 {
        let probe = HTTPServer(port: 0) { HTTPResponse.notFound($0) }
        try probe.start()
        defer { probe.stop() }
        return probe.port
    }

    private func fail(_ problem: String, status: Int32 = 2) -> Int32 {
        printError("lesson serve: \(problem)")
        return status
    }
}
