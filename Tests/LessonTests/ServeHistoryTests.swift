import Foundation
import Platform
import HTTP
import WorkbookKit
import TestSupport
import XCTest

/// `lesson serve all` as a small Prometheus: it scrapes itself, keeps `--retention` of it,
/// records the stack's rules, answers the query API under `/api/v1`, draws the dashboards
/// in a browser, and answers every dashboard query as the real Prometheus does over the
/// same samples.
final class ServeHistoryTests: XCTestCase {
    private var lessonPath: String { buildProductsFolder + "/lesson" }

    // MARK: Running serve all

    /// A `lesson serve all` started for one test; the test's teardown stops it.
    private struct ServeAll {
        let process: Process
        let base: String
        let errorLog: String
        /// When it first answered on /metrics.
        let answered: Date

        var stderr: String { (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? "" }
    }

    /// Starts `lesson serve all --port P` with `flags`, waits (bounded) until `/metrics` answers,
    /// and registers a teardown that stops it (SIGTERM, then SIGKILL after 30 s).
    private func startServeAll(_ flags: [String], lesson which: String = "all") throws -> ServeAll {
        let port = try freeLoopbackPort()
        let errorLog = NSTemporaryDirectory() + "serve-history-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: errorLog, contents: nil)
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorLog))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: lessonPath)
        process.arguments = ["serve", which, "--port", String(port)] + flags
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot())
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["WORKBOOK_PROGRESS_FILE": NSTemporaryDirectory() + "/workbook-progress-\(ProcessInfo.processInfo.processIdentifier)"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        addTeardownBlock {
            Self.stop(process)
            try? errors.close()
            try? FileManager.default.removeItem(atPath: errorLog)
        }
        let base = "http://127.0.0.1:\(port)"
        // `serve all` builds every lesson's program first: allow for a first build.
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline, process.isRunning {
            if let response = try? HTTPClient.get(url: base + "/metrics", timeout: 2), response.status == 200 {
                return ServeAll(process: process, base: base, errorLog: errorLog, answered: Date())
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let said = (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? ""
        XCTFail("lesson serve \(which) \(flags) did not come up on port \(port): \(said.suffix(2_000))")
        throw CocoaError(.fileReadUnknown)
    }

    private static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Polls `condition` every `every` seconds for at most `seconds`; returns whether it held.
    private func waitUntil(_ seconds: Double, every: Double = 0.5, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: every)
        }
        return try condition()
    }

    /// GETs `url` and decodes its JSON body (nil when it is not JSON).
    private func getJSON(_ url: String, timeout: Double = 30) throws -> (status: Int, object: [String: Any]?, text: String) {
        let response = try HTTPClient.get(url: url, timeout: timeout)
        return (response.status, try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any], response.text)
    }

    /// The form encoding of `items`, as Grafana sends it (`+` escaped, so it is not read as a space).
    private static func encoded(_ items: [(String, String)]) -> String {
        var components = URLComponents()
        components.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) }
        return components.percentEncodedQuery!.replacingOccurrences(of: "+", with: "%2B")
    }

    private static func seconds(_ milliseconds: Int64) -> String { String(format: "%.3f", Double(milliseconds) / 1000) }

    private static func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// An instant query's vector: each element's labels and value.
    private static func vector(_ object: [String: Any]?) -> [(labels: [String: String], value: String)] {
        let result = (object?["data"] as? [String: Any])?["result"] as? [[String: Any]] ?? []
        return result.map { ($0["metric"] as? [String: String] ?? [:], ($0["value"] as? [Any])?.last as? String ?? "") }
    }

    /// A python3 from the PATH (or the system's), for requests HTTPClient does not make (POST).
    private func python3() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let candidates = path.split(separator: ":").map { "\($0)/python3" } + ["/usr/bin/python3"]
        return try XCTUnwrap(candidates.first { FileManager.default.isExecutableFile(atPath: $0) }, "no python3 to send POST requests with")
    }

    /// One HTTP request: a GET with `form` as its query string, or a POST with it as the body.
    private struct Exchange {
        let method: String
        let path: String
        let form: String
        var context: String { "\(method) \(path)?\(form.removingPercentEncoding ?? form)" }
    }

    /// Sends each exchange to `base` (one python process for the batch); returns the status,
    /// the body and the `Allow` header of each answer.
    private func send(_ exchanges: [Exchange], to base: String, python: String) throws -> [(status: Int, body: String, allow: String)] {
        let script = """
            import sys, json, urllib.request, urllib.error
            base = sys.argv[1]
            out = []
            for method, path, form in json.load(sys.stdin):
                if method == "POST":
                    request = urllib.request.Request(base + path, data=form.encode(), method="POST",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
                else:
                    request = urllib.request.Request(base + path + ("?" + form if form else ""), method=method)
                try:
                    response = urllib.request.urlopen(request, timeout=60)
                    out.append([response.status, response.read().decode(), response.headers.get("Allow", "")])
                except urllib.error.HTTPError as error:
                    out.append([error.code, error.read().decode(), error.headers.get("Allow", "")])
            print(json.dumps(out))
            """
        let input = String(decoding: try JSONSerialization.data(withJSONObject: exchanges.map { [$0.method, $0.path, $0.form] }), as: UTF8.self)
        let result = try runProcess(python, ["-c", script, base], input: input, timeout: 600)
        guard result.status == 0, let answers = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[Any]],
              answers.count == exchanges.count
        else {
            XCTFail("sending \(exchanges.count) requests to \(base) failed: \(result.stderr.suffix(2_000))")
            throw CocoaError(.fileReadUnknown)
        }
        return answers.map { (($0[0] as? NSNumber)?.intValue ?? 0, $0[1] as? String ?? "", $0[2] as? String ?? "") }
    }

    // MARK: 1. The API and the flags

    /// Scraping itself every second: `up`, a range query, GET and POST alike, the series,
    /// label, metadata, target and build endpoints, a recording rule, a 404 and a 405.
    /// `lesson serve 5` keeps a history too: its lesson's exposition passes through unchanged,
    /// and what the history scraped carries `lesson="05-histogram-buckets"`, as a target label,
    /// so the dashboards' queries find it as under `serve all`.
    func testOneLessonKeepsItsHistoryUnderItsLessonLabel() throws {
        let serve = try startServeAll(["--scrape-interval", "1s"], lesson: "5")
        let api = serve.base + "/api/v1"
        let lesson = "05-histogram-buckets"

        let exposition = try HTTPClient.get(url: serve.base + "/metrics", timeout: 10).text
        XCTAssertTrue(exposition.contains("_bucket{"), exposition)
        XCTAssertFalse(exposition.contains("lesson="), "a single lesson's exposition is its own, unlabelled")
        let openMetrics = try HTTPClient.get(
            url: serve.base + "/metrics", headers: ["Accept": "application/openmetrics-text; version=1.0.0"], timeout: 10)
        XCTAssertTrue(openMetrics.headers["Content-Type"]?.hasPrefix("application/openmetrics-text") == true, "\(openMetrics.headers)")
        XCTAssertTrue(openMetrics.text.hasSuffix("# EOF\n"))

        var rates: [(labels: [String: String], value: String)] = []
        let filled = waitUntil(60) {
            rates = Self.vector(try? getJSON(api + "/query?" + Self.encoded([
                ("query", #"sum by (lesson, job) (rate(http_request_duration_seconds_bucket{le="+Inf"}[5s]))"#)])).object)
            return rates.count == 1 && (Double(rates[0].value) ?? 0) > 0
        }
        XCTAssertTrue(filled, "no rate of lesson 5's histograms: \(rates)\n\(serve.stderr.suffix(2_000))")
        XCTAssertEqual(rates.first?.labels, ["lesson": lesson, "job": "workbook"])
        let up = Self.vector(try getJSON(api + "/query?query=up").object)
        XCTAssertEqual(up.map(\.labels["lesson"]), [lesson])
        XCTAssertEqual(up.map(\.value), ["1"])
        XCTAssertEqual(Self.vector(try getJSON(api + "/query?" + Self.encoded([("query", #"count({lesson!="05-histogram-buckets"})"#)])).object).count, 0,
                       "every series scraped carries the lesson label")

        let metadata = try getJSON(api + "/metadata").object?["data"] as? [String: [[String: String]]] ?? [:]
        XCTAssertTrue(metadata.values.contains { $0.first?["type"] == "histogram" }, "metadata: \(metadata.keys.sorted())")
        let targets = try getJSON(api + "/targets").object?["data"] as? [String: Any]
        let labels = ((targets?["activeTargets"] as? [[String: Any]])?.first?["labels"]) as? [String: String]
        XCTAssertEqual(labels?["lesson"], lesson)

        // The web console lists this one lesson.
        let index = try HTTPClient.get(url: serve.base + "/", headers: ["Accept": "text/html"], timeout: 10).text
        let links = index.components(separatedBy: "href=\"/lessons/").dropFirst().map { $0.prefix { $0 != "\"" } }
        XCTAssertEqual(Set(links), [Substring(lesson)], index)
    }

    func testQueryAPIAnswersFromItsOwnScrapes() throws {
        let serve = try startServeAll(["--scrape-interval", "1s"])
        let api = serve.base + "/api/v1"
        let python = try python3()

        // up == 1 for job="workbook", within a bounded wait.
        var upAnswer: [(labels: [String: String], value: String)] = []
        let upSeen = waitUntil(30) {
            upAnswer = Self.vector(try? getJSON(api + "/query?query=up").object)
            return upAnswer.count == 1 && upAnswer[0].value == "1"
        }
        XCTAssertTrue(upSeen, "up never answered 1: \(upAnswer)\n\(serve.stderr.suffix(2_000))")
        XCTAssertEqual(upAnswer.first?.labels["job"], "workbook")
        XCTAssertEqual(upAnswer.first?.labels["__name__"], "up")
        XCTAssertEqual(upAnswer.first?.labels["instance"], serve.base.replacingOccurrences(of: "http://", with: ""))
        print("serve all: up == 1 \(String(format: "%.1f", Date().timeIntervalSince(serve.answered))) s after it first answered")

        // A range query over the last 30 s: a matrix whose one series gains a point a scrape.
        var points: [[Any]] = []
        var rangeObject: [String: Any]?
        let several = waitUntil(30) {
            let end = Self.nowMilliseconds()
            rangeObject = try? getJSON(api + "/query_range?" + Self.encoded([
                ("query", "up"), ("start", Self.seconds(end - 30_000)), ("end", Self.seconds(end)), ("step", "1")])).object
            let result = (rangeObject?["data"] as? [String: Any])?["result"] as? [[String: Any]] ?? []
            points = result.first?["values"] as? [[Any]] ?? []
            return points.count >= 5
        }
        XCTAssertTrue(several, "query_range over the last 30 s: \(String(describing: rangeObject))")
        XCTAssertEqual((rangeObject?["data"] as? [String: Any])?["resultType"] as? String, "matrix")
        XCTAssertTrue(points.allSatisfy { $0.last as? String == "1" }, "\(points)")

        // GET and a form POST give the same answer (at a fixed time, a few seconds ago).
        let fixed = Self.nowMilliseconds() - 3_000
        let instant = Self.encoded([("query", "sum by (lesson) (workbook_lesson_up)"), ("time", Self.seconds(fixed))])
        let range = Self.encoded([("query", "count_over_time(up[10s])"), ("start", Self.seconds(fixed - 10_000)), ("end", Self.seconds(fixed)), ("step", "2")])
        let pairs = try send([
            Exchange(method: "GET", path: "/api/v1/query", form: instant), Exchange(method: "POST", path: "/api/v1/query", form: instant),
            Exchange(method: "GET", path: "/api/v1/query_range", form: range), Exchange(method: "POST", path: "/api/v1/query_range", form: range),
        ], to: serve.base, python: python)
        for index in [0, 2] {
            XCTAssertEqual(pairs[index].status, 200, pairs[index].body)
            XCTAssertTrue(pairs[index].body.hasPrefix(#"{"status":"success","data":{"resultType":"#), pairs[index].body)
            XCTAssertEqual(pairs[index].body, pairs[index + 1].body, "GET and POST differ")
        }

        // Every lesson's folder is a value of `lesson` once the lessons answer.
        let folders = Workbook.lessons.map(\.folder).sorted()
        XCTAssertEqual(folders.count, 11)
        var values: [String] = []
        XCTAssertTrue(waitUntil(60) {
            values = (try? getJSON(api + "/label/lesson/values").object?["data"] as? [String]) ?? []
            return values == folders
        }, "label values of lesson: \(values)")

        let series = try getJSON(api + "/series?" + Self.encoded([("match[]", "up")]))
        XCTAssertEqual(series.status, 200, series.text)
        XCTAssertEqual(series.object?["data"] as? [[String: String]], [upAnswer.first?.labels ?? [:]], series.text)

        let labels = try getJSON(api + "/labels")
        let names = labels.object?["data"] as? [String] ?? []
        XCTAssertTrue(Set(["__name__", "job", "instance", "lesson", "le"]).isSubset(of: names), labels.text)
        XCTAssertEqual(names, names.sorted())

        let metadata = try getJSON(api + "/metadata")
        let families = metadata.object?["data"] as? [String: [[String: String]]] ?? [:]
        XCTAssertTrue(families["http_requests"]?.contains { $0["type"] == "counter" } == true, "metadata of http_requests: \(String(describing: families["http_requests"]))")

        let targets = try getJSON(api + "/targets")
        let active = (targets.object?["data"] as? [String: Any])?["activeTargets"] as? [[String: Any]] ?? []
        XCTAssertEqual(active.count, 1, targets.text)
        XCTAssertEqual(active.first?["health"] as? String, "up", targets.text)
        XCTAssertEqual((active.first?["labels"] as? [String: String])?["job"], "workbook")
        XCTAssertEqual(active.first?["scrapeUrl"] as? String, serve.base + "/metrics")
        XCTAssertEqual(active.first?["scrapeInterval"] as? String, "1s")

        let build = try getJSON(api + "/status/buildinfo")
        XCTAssertEqual(build.status, 200)
        XCTAssertEqual(build.object?["status"] as? String, "success")
        XCTAssertEqual((build.object?["data"] as? [String: Any])?["version"] as? String, "3.0.0", "Prometheus 3 semantics unless told")

        // A recording rule's series, recorded after each scrape.
        var recorded: [(labels: [String: String], value: String)] = []
        XCTAssertTrue(waitUntil(max(5, 45 - Date().timeIntervalSince(serve.answered))) {
            recorded = Self.vector(try? getJSON(api + "/query?query=job:http_requests:rate5m").object)
            return !recorded.isEmpty
        }, "no job:http_requests:rate5m series 45 s after start")
        XCTAssertTrue(recorded.allSatisfy { $0.labels["job"] == "workbook" && $0.labels["lesson"] != nil && Double($0.value) != nil }, "\(recorded)")

        // Mistakes: a PromQL error, an unknown API path (the module's text 404), the wrong methods.
        let bad = try getJSON(api + "/query?" + Self.encoded([("query", "rate(up[5m]")]))
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(bad.object?["errorType"] as? String, "bad_data", bad.text)
        let unknown = try HTTPClient.get(url: api + "/nothing", timeout: 10)
        XCTAssertEqual(unknown.status, 404)
        XCTAssertTrue(unknown.text.hasPrefix("no API endpoint /api/v1/nothing; this server answers /api/v1/query,"), unknown.text)
        let refused = try send([
            Exchange(method: "POST", path: "/", form: "a=b"),
            Exchange(method: "POST", path: "/lessons/01-exposition", form: ""),
            Exchange(method: "POST", path: "/api/v1/targets", form: ""),
        ], to: serve.base, python: python)
        for answer in refused.prefix(2) {
            XCTAssertEqual(answer.status, 405, answer.body)
            XCTAssertEqual(answer.allow, "GET, HEAD")
            XCTAssertTrue(answer.body.hasPrefix("POST is for the query API under /api/v1;"), answer.body)
        }
        XCTAssertEqual(refused[2].status, 405, refused[2].body)
        XCTAssertEqual(refused[2].allow, "GET, HEAD")
        XCTAssertTrue(serve.process.isRunning)
    }

    /// A mistaken flag ends `serve all` at once with status 2 and one line, before any lesson
    /// is built or started.
    func testBadHistoryFlagsExitAtOnceWithOneLine() throws {
        let cases: [([String], String)] = [
            (["--scrape-interval", "0"], "lesson serve: --scrape-interval takes a duration such as 5s or 1h (at least 100ms), not 0"),
            (["--retention", "1s", "--scrape-interval", "5s"], "lesson serve: --retention must be at least --scrape-interval"),
            (["--prometheus", "4"], "lesson serve: --prometheus takes 2 or 3"),
            (["--scrape-interval", "50ms"], "lesson serve: --scrape-interval takes a duration such as 5s or 1h (at least 100ms), not 50ms"),
        ]
        for (flags, message) in cases {
            let port = try freeLoopbackPort()
            let began = Date()
            let result = try runProcess(
                lessonPath, ["serve", "all", "--port", String(port)] + flags,
                environment: ["WORKBOOK_PROGRESS_FILE": NSTemporaryDirectory() + "/workbook-progress-\(ProcessInfo.processInfo.processIdentifier)"],
                directory: packageRoot(), timeout: 60)
            let took = Date().timeIntervalSince(began)
            XCTAssertEqual(result.status, 2, "\(flags): \(result.stderr)")
            XCTAssertEqual(result.stderr, message + "\n", "\(flags)")
            XCTAssertEqual(result.stdout, "", "\(flags): nothing is served")
            XCTAssertFalse(result.stderr.contains("Building"), "\(flags): no lesson is built")
            XCTAssertLessThan(took, 10, "\(flags) took \(took) s: it should refuse before starting lessons")
            XCTAssertNil(try? HTTPClient.get(url: "http://127.0.0.1:\(port)/metrics", timeout: 1), "\(flags): nothing listens")
        }
    }

    // MARK: 2. Retention

    /// With `--retention 5s`, a series keeps only the last few seconds of samples.
    ///
    /// ServeHistory trims after a scrape when `nextTrim` has passed, and then sets it
    /// `min(30, retention / 4)` = 1.25 s later; the trim keeps samples at or after the scrape's
    /// time minus 5 s. Scrapes start at least 1 s apart, so right after a trim a series holds at
    /// most 5 / 1 + 1 = 6 samples spanning at most 5 s, and at most one more scrape (started less
    /// than 1.25 s after the trim) lands before the next trim: at most 7 samples, spanning at
    /// most 5 s + 1.25 s. That is ServeHistory's `bound`: retention / interval + 2 a series.
    func testRetentionForgetsOlderSamples() throws {
        let serve = try startServeAll(["--scrape-interval", "1s", "--retention", "5s"])
        let api = serve.base + "/api/v1"
        XCTAssertTrue(waitUntil(30) { Self.vector(try? getJSON(api + "/query?query=up").object).first?.value == "1" }, serve.stderr)
        // 15 s of scrapes: without trimming, about 15 samples a series.
        let wait = 15 - Date().timeIntervalSince(serve.answered)
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }

        var counts: [Double] = [], largest: [Double] = [], spans: [Double] = []
        for _ in 0..<6 {
            let count = Self.vector(try getJSON(api + "/query?" + Self.encoded([("query", "count_over_time(up[1h])")])).object)
            counts += count.compactMap { Double($0.value) }
            // Every series' raw samples (count_over_time over all of them would clash once names are dropped).
            let everySeries = try getJSON(api + "/query?" + Self.encoded([("query", #"{__name__=~".+"}[1h]"#)]))
            let all = (everySeries.object?["data"] as? [String: Any])?["result"] as? [[String: Any]] ?? []
            if !all.isEmpty { largest.append(Double(all.map { ($0["values"] as? [Any])?.count ?? 0 }.max() ?? 0)) }
            let raw = try getJSON(api + "/query?" + Self.encoded([("query", "up[1h]")]))
            let result = (raw.object?["data"] as? [String: Any])?["result"] as? [[String: Any]] ?? []
            let times = (result.first?["values"] as? [[Any]] ?? []).compactMap { ($0.first as? NSNumber)?.doubleValue }
            if let first = times.first, let last = times.last { spans.append(last - first) }
            Thread.sleep(forTimeInterval: 0.5)
        }
        let rss = residentKilobytes(of: serve.process.processIdentifier)
        print("serve all --retention 5s after \(String(format: "%.0f", Date().timeIntervalSince(serve.answered))) s: count_over_time(up[1h]) \(counts.map { Int($0) }), largest over every series \(largest.map { Int($0) }), span of up's samples \(spans.map { String(format: "%.2f s", $0) }); VmRSS \(rss.map { "\($0) kB" } ?? "unknown") (pid \(serve.process.processIdentifier))")
        XCTAssertEqual(counts.count, 6, "count_over_time(up[1h]) should answer one value each time")
        XCTAssertTrue(counts.allSatisfy { $0 >= 3 && $0 <= 7 }, "count_over_time(up[1h]) with 5 s retention at 1 s: \(counts)")
        XCTAssertEqual(largest.count, 6)
        XCTAssertTrue(largest.allSatisfy { $0 <= 7 }, "some series keeps more than 7 samples: \(largest)")
        XCTAssertTrue(spans.allSatisfy { $0 <= 6.5 }, "up's samples span more than retention + the trim cadence: \(spans)")

        // The exemplars (lesson 10's trace ids) are kept for the same window, not up to their buffer's size.
        let asked = Date().timeIntervalSince1970
        let exemplars = try getJSON(api + "/query_exemplars?" + Self.encoded([("query", #"{__name__=~".+"}"#)]))
        let series = exemplars.object?["data"] as? [[String: Any]] ?? []
        let times = series.flatMap { ($0["exemplars"] as? [[String: Any]] ?? []).compactMap { ($0["timestamp"] as? NSNumber)?.doubleValue } }
        XCTAssertFalse(times.isEmpty, "no exemplars kept: \(exemplars.object ?? [:])")
        // As for the samples: the window, the trim cadence and a slow scrape (the sanitizer's); kept
        // for ever, lesson 10's slowest buckets' exemplars would be tens of seconds old by now.
        XCTAssertGreaterThanOrEqual(times.min() ?? 0, asked - 5 - 3, "an exemplar older than the window (and the trim cadence, and a scrape's time) is kept")
    }

    // MARK: 3. In a real browser

    /// The stack's dashboards, which the console draws.
    private static var dashboardsFolder: String { packageRoot() + "/stack/grafana/dashboards" }

    /// Each dashboard file's title and its parsed JSON.
    private static func dashboards() throws -> [(file: String, title: String, json: [String: Any])] {
        try FileManager.default.contentsOfDirectory(atPath: dashboardsFolder).filter { $0.hasSuffix(".json") }.sorted().map { file in
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dashboardsFolder + "/" + file))) as? [String: Any] ?? [:]
            return (file, json["title"] as? String ?? "", json)
        }
    }

    /// The index, every lesson's page and the query page, in headless Chromium, over serve all's
    /// own history: every panel drawn, no JavaScript error; a screenshot a page.
    func testConsolePagesDrawFromServeAllsHistoryInARealBrowser() throws {
        if ThreadSanitizerRun.isOn {
            // Under the sanitizer serve all answers a page's dozens of queries too slowly for a
            // page's 30 s patience; the other tests here run its threads under it.
            throw XCTSkip("the pages are drawn in the plain `swift test` run, not the thread-sanitizer one")
        }
        let serve = try startServeAll(["--scrape-interval", "1s"])
        let api = serve.base + "/api/v1"

        // Until rate() has data for every lesson and the recording rules have recorded.
        let ready = [
            #"sum(rate(http_requests_total{lesson="10-instrument-a-service"}[5s])) > 0"#,
            "job:http_request_duration_seconds:apdex_rate5m",
            #"histogram_quantile(0.9, sum by (le) (rate(api_request_latency_seconds_bucket[5s])))"#,
            "count_over_time(up[1h]) >= 20",
        ]
        var missing: [String] = []
        let filled = waitUntil(90, every: 1) {
            missing = ready.filter { query in Self.vector(try? getJSON(api + "/query?" + Self.encoded([("query", query)])).object).isEmpty }
            return missing.isEmpty
        }
        XCTAssertTrue(filled, "no data yet for \(missing)\n\(serve.stderr.suffix(2_000))")
        print("serve all: the dashboards' data is there \(String(format: "%.1f", Date().timeIntervalSince(serve.answered))) s after it first answered")

        let dashboards = try Self.dashboards()
        var plan: [[String: Any]] = [["url": serve.base + "/", "kind": "index", "name": "index", "lessons": Workbook.lessons.count]]
        for lesson in Workbook.lessons {
            let title = try XCTUnwrap(lesson.dashboard, "lesson \(lesson.number) has no dashboard")
            let dashboard = try XCTUnwrap(dashboards.first { $0.title == title }, "no dashboard titled \(title)")
            plan.append([
                "url": serve.base + "/lessons/\(lesson.folder)", "kind": "dashboard", "name": "lesson-\(lesson.folder)",
                "panels": (dashboard.json["panels"] as? [Any])?.count ?? 0,
            ])
        }
        let expression = "sum by (lesson) (rate(http_requests_total[10s]))"
        let encoded = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        plan += [
            ["url": serve.base + "/query?expr=\(encoded)&tab=graph&range=5m", "kind": "query", "name": "query-graph"],
            ["url": serve.base + "/query?expr=\(encoded)&tab=table", "kind": "query", "name": "query-table"],
        ]
        XCTAssertEqual(plan.count, 1 + 11 + 2)
        try checkInABrowser(plan, screenshots: "serve-all")
        XCTAssertTrue(serve.process.isRunning, "serve all kept running under the browser's queries")
    }

    /// `lesson serve 5`'s console over that lesson's history alone: the index lists lesson 5,
    /// and its dashboard draws every panel that reads lesson 5; the panels that read another
    /// lesson (the Histograms dashboard also shows lesson 6) say "No data", as Grafana would.
    func testOneLessonsPageDrawsFromItsOwnHistoryInARealBrowser() throws {
        if ThreadSanitizerRun.isOn {
            throw XCTSkip("the pages are drawn in the plain `swift test` run, not the thread-sanitizer one")
        }
        let lesson = try XCTUnwrap(Workbook.lessons.first { $0.number == 5 })
        let serve = try startServeAll(["--scrape-interval", "1s"], lesson: "5")
        let ready = #"histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5s])))"#
        let filled = waitUntil(60, every: 1) {
            !Self.vector(try? getJSON(serve.base + "/api/v1/query?" + Self.encoded([("query", ready)])).object).isEmpty
        }
        XCTAssertTrue(filled, "no data yet for \(ready)\n\(serve.stderr.suffix(2_000))")

        let title = try XCTUnwrap(lesson.dashboard)
        let dashboard = try XCTUnwrap(try Self.dashboards().first { $0.title == title }, "no dashboard titled \(title)")
        let panels = dashboard.json["panels"] as? [[String: Any]] ?? []
        var states: [String: String] = [:], texts: [String: String] = [:]
        for panel in panels {
            let queries = (panel["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String }
            if !queries.contains(where: { $0.contains(lesson.folder) }) {
                let title = panel["title"] as? String ?? ""
                states[title] = "nodata"
                // It says which lesson it reads and how to see it.
                if queries.contains(where: { $0.contains("06-histogram-quantiles") }) { texts[title] = "swift run lesson serve 6" }
            }
        }
        XCTAssertFalse(states.isEmpty, "the \(title) dashboard was expected to show another lesson too")
        XCTAssertLessThan(states.count, panels.count, "no panel of the \(title) dashboard reads lesson 5")
        XCTAssertEqual(texts.count, states.count, "the other panels were expected to read lesson 6: \(states.keys.sorted())")
        try checkInABrowser([
            ["url": serve.base + "/", "kind": "index", "name": "index", "lessons": 1],
            ["url": serve.base + "/lessons/\(lesson.folder)", "kind": "dashboard", "name": "lesson-\(lesson.folder)",
             "panels": panels.count, "states": states, "texts": texts],
        ], screenshots: "serve-5")
        XCTAssertTrue(serve.process.isRunning, "serve 5 kept running under the browser's queries")
    }

    /// Runs the browser check over `plan` (see check_console.py), saving a screenshot a page in
    /// the build folder's `browser-screenshots/<screenshots>`; fails the test on any failed page.
    private func checkInABrowser(_ plan: [[String: Any]], screenshots folder: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let python = try RealTools.pythonWithSelenium()
        let chromium = try RealTools.chromium()
        let chromedriver = try RealTools.chromedriver()
        let work = NSTemporaryDirectory() + "serve-console-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try JSONSerialization.data(withJSONObject: plan, options: [.prettyPrinted]).write(to: URL(fileURLWithPath: work + "/plan.json"))
        let screenshots = packageRoot() + "/.build/browser-screenshots/" + folder
        try FileManager.default.createDirectory(atPath: screenshots, withIntermediateDirectories: true)

        let began = Date()
        let script = packageRoot() + "/Tests/SharedTests/Browser/check_console.py"
        let result = try runProcess(
            python, [script, "--chromium", chromium, "--chromedriver", chromedriver, "--plan", work + "/plan.json", "--screenshots", screenshots],
            timeout: 600)
        print(result.stdout)
        print("browser check of \(plan.count) pages took \(String(format: "%.0f", Date().timeIntervalSince(began))) s; screenshots in \(screenshots)")
        XCTAssertFalse(result.timedOut, "the browser check did not finish in 600 s", file: file, line: line)
        XCTAssertEqual(result.status, 0, "the browser check failed:\n\(result.stdout)\n\(result.stderr.suffix(3_000))", file: file, line: line)
        XCTAssertTrue(result.stdout.contains("\(plan.count) passed, 0 failed"), result.stdout, file: file, line: line)
        for page in plan {
            let shot = screenshots + "/\(page["name"] as! String).png"
            XCTAssertTrue(FileManager.default.fileExists(atPath: shot), "no screenshot \(shot)", file: file, line: line)
        }
    }

    // MARK: 4. Against the real Prometheus

    /// Every panel query of every stack dashboard, sent to serve all (`--prometheus 2`) and to
    /// Prometheus 2.42 started on serve all's own samples (exported through its API and
    /// backfilled with promtool): the same statuses, label sets, timestamps and values
    /// (within 1e-9 relative) at three instants and over a 20 s range, all inside the export.
    func testDashboardQueriesAnswerLikeTheRealPrometheusOverTheSameSamples() throws {
        let promtool = try RealTools.promtool()
        _ = try RealTools.prometheus()
        let python = try RealTools.pythonWithPrometheusClient()
        let serve = try startServeAll(["--prometheus", "2", "--scrape-interval", "1s"])
        let api = serve.base + "/api/v1"
        XCTAssertTrue(waitUntil(30) { Self.vector(try? getJSON(api + "/query?query=up").object).first?.value == "1" }, serve.stderr)
        let wait = 40 - Date().timeIntervalSince(serve.answered)
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }

        // Export: every raw sample of the last 10 minutes (stale markers are not samples).
        let exported = Self.nowMilliseconds()
        let dump = try HTTPClient.get(
            url: api + "/query?" + Self.encoded([("query", #"{__name__=~".+"}[10m]"#), ("time", Self.seconds(exported))]), timeout: 120)
        XCTAssertEqual(dump.status, 200, String(dump.text.prefix(500)))
        let dumped = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(dump.body)) as? [String: Any])
        XCTAssertEqual((dumped["data"] as? [String: Any])?["resultType"] as? String, "matrix")
        let result = (dumped["data"] as? [String: Any])?["result"] as? [[String: Any]] ?? []
        var series: [(labels: [String: String], samples: [(time: Int64, value: String)])] = []
        for item in result {
            let labels = item["metric"] as? [String: String] ?? [:]
            let samples = (item["values"] as? [[Any]] ?? []).map { pair in
                (time: Int64((((pair.first as? NSNumber)?.doubleValue ?? 0) * 1000).rounded()), value: pair.last as? String ?? "")
            }
            series.append((labels, samples))
        }
        let sampleCount = series.reduce(0) { $0 + $1.samples.count }
        XCTAssertGreaterThan(series.count, 300, "the lessons expose hundreds of series")
        let scrapes = try XCTUnwrap(series.first { $0.labels == ["__name__": "up", "job": "workbook", "instance": String(serve.base.dropFirst(7))] }).samples.map(\.time)
        XCTAssertGreaterThan(scrapes.count, 30, "40 s at one scrape a second")
        let first = try XCTUnwrap(scrapes.first), last = try XCTUnwrap(scrapes.last)

        // Where serve all has stale markers Prometheus will not: a series missing from a scrape
        // after its first sample (it gets a marker at that scrape's time).
        var staleEvents: [(name: String, time: Int64)] = []
        let scrapeSet = Set(scrapes)
        for one in series {
            guard let start = one.samples.first?.time else { continue }
            let times = Set(one.samples.map(\.time))
            XCTAssertTrue(times.isSubset(of: scrapeSet), "\(one.labels) has samples off the scrape times")
            if let missed = scrapes.first(where: { $0 > start && !times.contains($0) }) {
                staleEvents.append((one.labels["__name__"] ?? "", missed))
            }
        }

        // The export as OpenMetrics with timestamps; promtool accepts it without TYPE lines.
        func escaped(_ value: String) -> String {
            value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
        }
        var text = ""
        for one in series {
            let name = one.labels["__name__"] ?? ""
            let labelText = one.labels.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(escaped($0.value))\"" }.joined(separator: ",")
            for sample in one.samples {
                text += "\(name){\(labelText)} \(sample.value) \(sample.time / 1000).\(String(format: "%03d", sample.time % 1000))\n"
            }
        }
        text += "# EOF\n"
        let folder = NSTemporaryDirectory() + "serve-differential-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try text.write(toFile: folder + "/export.om", atomically: true, encoding: .utf8)
        let backfill = try runProcess(promtool, ["tsdb", "create-blocks-from", "openmetrics", folder + "/export.om", folder + "/blocks"], timeout: 300)
        XCTAssertEqual(backfill.status, 0, backfill.stderr)
        let prometheus = try RealPrometheus(
            config: "global:\n  evaluation_interval: 1m\n", storage: folder + "/blocks", extraArguments: ["--storage.tsdb.retention.time=100y"])
        defer { prometheus.stop() }
        _ = try prometheus.getJSON(["/api/v1/status/buildinfo"], timeout: 60)

        // The dashboards' queries, with Grafana's variables set as the brief's fixed values.
        var expressions: [String] = [], skipped: [String] = []
        for dashboard in try Self.dashboards() {
            for target in Self.targets(of: dashboard.json["panels"] as? [[String: Any]] ?? []) {
                guard let expr = Self.resolved(target) else { skipped.append(target); continue }
                if !expressions.contains(expr) { expressions.append(expr) }
            }
        }
        XCTAssertGreaterThan(expressions.count, 30, "the dashboards have dozens of queries")
        // Two whole-store checks: the backfill holds what serve all holds.
        expressions += [#"count({__name__=~".+"})"#, #"sum(count_over_time({__name__=~".+"}[1m]))"#]

        // Times inside the export, ending a few seconds before it: two off the scrape times, one
        // exactly on a scrape (a sample at the evaluation time itself).
        let onScrape = try XCTUnwrap(scrapes.last { $0 <= exported - 9_000 })
        let instants = [exported - 3_000, onScrape, exported - 16_250]
        let rangeEnd = exported - 3_000, rangeStart = rangeEnd - 20_000
        var exchanges: [Exchange] = [], evaluatedUpTo: [Int64] = []
        for expr in expressions {
            for time in instants {
                exchanges.append(Exchange(method: "GET", path: "/api/v1/query", form: Self.encoded([("query", expr), ("time", Self.seconds(time))])))
                evaluatedUpTo.append(time)
            }
            exchanges.append(Exchange(method: "GET", path: "/api/v1/query_range", form: Self.encoded([
                ("query", expr), ("start", Self.seconds(rangeStart)), ("end", Self.seconds(rangeEnd)), ("step", "2")])))
            evaluatedUpTo.append(rangeEnd)
        }
        let theirs = try send(exchanges, to: "http://127.0.0.1:\(prometheus.port)", python: python)
        let ours = try send(exchanges, to: serve.base, python: python)

        var values = 0, differing: [String] = [], explained: [String] = [], empty = 0
        for (index, exchange) in exchanges.enumerated() {
            let (our, their) = (ours[index], theirs[index])
            guard our.status == their.status else {
                differing.append("\(exchange.context): status \(our.status) against Prometheus's \(their.status): ours \(our.body.prefix(300)), Prometheus's \(their.body.prefix(300))")
                continue
            }
            guard let ourObject = try? JSONSerialization.jsonObject(with: Data(our.body.utf8)) as? [String: Any],
                  let theirObject = try? JSONSerialization.jsonObject(with: Data(their.body.utf8)) as? [String: Any]
            else {
                differing.append("\(exchange.context): not JSON: ours \(our.body.prefix(300)), Prometheus's \(their.body.prefix(300))")
                continue
            }
            if ((theirObject["data"] as? [String: Any])?["result"] as? [Any])?.isEmpty == true { empty += 1 }
            var differences: [String] = []
            values += APIAnswers.compare(APIAnswers.normalized(ourObject), APIAnswers.normalized(theirObject), at: "", into: &differences)
            guard !differences.isEmpty else { continue }
            let report = "\(exchange.context):\n  " + differences.prefix(4).joined(separator: "\n  ")
                + "\n  ours: \(our.body.prefix(600))\n  Prometheus's: \(their.body.prefix(600))"
            let staleHere = staleEvents.filter { $0.time <= evaluatedUpTo[index] && Self.mentions(exchange.form.removingPercentEncoding ?? "", $0.name) }
            if staleHere.isEmpty { differing.append(report) } else { explained.append(report + "\n  (stale markers in serve all: \(staleHere.prefix(3)))") }
        }
        let staleNames = Set(staleEvents.map(\.name)).sorted()
        print("""
            serve all against Prometheus 2.42 over \(series.count) series, \(sampleCount) samples (\(scrapes.count) scrapes, \
            \(Self.seconds(first))–\(Self.seconds(last)), exported at \(Self.seconds(exported))): \(exchanges.count) queries \
            (\(expressions.count) expressions × \(instants.count) instants + 1 range), \(values) values compared, \(empty) answers empty on both sides, \
            \(differing.count) differing, \(explained.count) differing where serve all has stale markers; \
            \(skipped.count) expressions skipped; series gone stale: \(staleEvents.count) (\(staleNames.prefix(10)))
            """)
        for report in explained.prefix(10) { print("stale-marker difference (reported, not failed): \(report)") }
        XCTAssertTrue(differing.isEmpty, "\(differing.count) answers differ from Prometheus's:\n" + differing.prefix(8).joined(separator: "\n"))
        // 45 expressions give about 14 points each (3 instants, 11 range steps), more where they have several series.
        XCTAssertGreaterThan(values, expressions.count * 10, "the queries should give plenty of values to compare")
        XCTAssertLessThan(empty, exchanges.count / 4, "most dashboard queries should have data after 40 s")
        XCTAssertTrue(serve.process.isRunning)
    }

    /// Every target expression of `panels` (rows' panels included), hidden ones too.
    private static func targets(of panels: [[String: Any]]) -> [String] {
        panels.flatMap { panel in
            ((panel["targets"] as? [[String: Any]]) ?? []).compactMap { $0["expr"] as? String } + targets(of: panel["panels"] as? [[String: Any]] ?? [])
        }
    }

    /// `expr` with `$__rate_interval` = 10s, `$__interval` = 2s and `$__range` = 30s, or nil
    /// when it uses any other variable.
    static func resolved(_ expr: String) -> String? {
        let values = ["__rate_interval": "10s", "__interval": "2s", "__range": "30s"]
        var out = "", rest = Substring(expr)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            var after = rest[rest.index(after: dollar)...]
            let braced = after.first == "{"
            if braced { after = after.dropFirst() }
            let name = after.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            after = after.dropFirst(name.count)
            if braced {
                guard after.first == "}" else { return nil }
                after = after.dropFirst()
            }
            guard let value = values[String(name)] else { return nil }
            out += value
            rest = after
        }
        return out + rest
    }

    /// Whether `expr` names the metric `name` (not as part of a longer name).
    private static func mentions(_ expr: String, _ name: String) -> Bool {
        let pattern = "(?<![A-Za-z0-9_:])" + NSRegularExpression.escapedPattern(for: name) + "(?![A-Za-z0-9_:])"
        return expr.range(of: pattern, options: .regularExpression) != nil || expr.contains("__name__")
    }

    func testGrafanaVariablesAreResolvedAsTheBriefSays() {
        XCTAssertEqual(Self.resolved("rate(x[$__rate_interval])"), "rate(x[10s])")
        XCTAssertEqual(Self.resolved("increase(x[${__interval}]) / $__range"), "increase(x[2s]) / 30s")
        XCTAssertNil(Self.resolved(#"up{job="$job"}"#))
        XCTAssertNil(Self.resolved("x * $__range_s"))
        XCTAssertEqual(Self.resolved("up"), "up")
    }
}
