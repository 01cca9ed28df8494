import Foundation
import Platform
import HTTP
import WorkbookKit
import TestSupport
import XCTest

/// `lesson query`, `serve` and `stack`, run as a learner runs them.
final class RunnerCommandTests: XCTestCase {
    private var lessonPath: String { buildProductsFolder + "/lesson" }

    private func lesson(_ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
        let progress = NSTemporaryDirectory() + "/workbook-progress-\(ProcessInfo.processInfo.processIdentifier)"
        return try runProcess(lessonPath, arguments, environment: ["WORKBOOK_PROGRESS_FILE": progress].merging(environment ?? [:]) { $1 },
                              directory: packageRoot())
    }

    private func openMetricsFile(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "query-\(UUID().uuidString).om"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testQueryOverAFileAnswersLikeThePrometheusAPI() throws {
        // The published example: 0 1 2 3 2 3 4 every five minutes increases by 7 over 30 minutes.
        let lines = [0, 1, 2, 3, 2, 3, 4].enumerated().map { "x_total \($0.element) \(1_700_000_000 + $0.offset * 300)" }
        let file = try openMetricsFile("# TYPE x counter\n" + lines.joined(separator: "\n") + "\n# EOF\n")
        let result = try lesson(["query", "increase(x_total[30m])", "--data", file, "--time", "1700001800"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, #"{"resultType":"vector","result":[{"metric":{},"value":[1700001800,"7"]}]}"# + "\n")
        let newest = try lesson(["query", "x_total", "--data", file])
        XCTAssertEqual(newest.stdout, #"{"resultType":"vector","result":[{"metric":{"__name__":"x_total"},"value":[1700001800,"4"]}]}"# + "\n", "without --time, at the newest sample")
    }

    func testQueryMistakesGetOneLineAndANonZeroExit() throws {
        let good = try openMetricsFile("# TYPE x gauge\nx 1 1700000000\n# EOF\n")
        let untimed = try openMetricsFile("# TYPE x gauge\nx 1\n# EOF\n")
        let cases: [([String], Int32, String)] = [
            (["query", "rate(x[5m]", "--data", good], 1, "lesson query: parse error at character 11: expected \")\" to close the call to rate, found end of query\n  rate(x[5m]\n            ^"),
            (["query", "x", "--time", "1e300", "--data", good], 2, "lesson query: --time takes seconds since the epoch, such as 1700000000 (at most 9.2e12)"),
            (["query", "x", "--start", "0", "--data", good], 2, "lesson query: a range query needs all of --start, --end and --step"),
            (["query", "x", "--data", try openMetricsFile("# TYPE x gauge\nx 1 1e16\n# EOF\n")], 1, "PREFIX:lesson query: "),
            (["query", "x", "--data", "/nonexistent.om"], 1, "lesson query: cannot read /nonexistent.om"),
            (["query", "x", "--data", NSTemporaryDirectory()], 1, "lesson query: cannot read \(NSTemporaryDirectory())"),
            (["query", "x", "--data", try openMetricsFile("")], 1, "PREFIX:lesson query: "),
            (["query", "x", "--data", untimed], 1, "lesson query: \(untimed): sample x has no timestamp; every sample needs one (seconds after the value)"),
            (["query", "x", "--time", "soon"], 2, "lesson query: --time takes seconds since the epoch, such as 1700000000 (at most 9.2e12)"),
            (["query"], 2, "lesson query: give a PromQL expression in quotes: swift run lesson query 'rate(http_requests_total[5m])'"),
        ]
        for (arguments, status, message) in cases {
            let result = try lesson(arguments)
            XCTAssertEqual(result.status, status, "\(arguments)")
            if message.hasPrefix("PREFIX:") {
                XCTAssertTrue(result.stderr.hasPrefix(String(message.dropFirst(7))), "\(arguments): \(result.stderr)")
                XCTAssertTrue(result.stderr.contains("out of range") || result.stderr.contains("missing \"# EOF\""), "\(arguments): \(result.stderr)")
            } else {
                XCTAssertEqual(result.stderr, message + "\n", "\(arguments)")
            }
        }
        let down = try lesson(["query", "up", "--url", "http://127.0.0.1:\(try freeLoopbackPort())/metrics"])
        XCTAssertEqual(down.status, 1)
        XCTAssertTrue(down.stderr.hasPrefix("lesson query: could not scrape"), down.stderr)
    }

    func testServeOneLessonThenQueryItAndRefuseABusyPort() throws {
        let port = try freeLoopbackPort()
        let server = try startLessonServer(["serve", "1", "--port", String(port)], port: port)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let query = try lesson(["query", #"sum(http_requests_total{method="GET"})"#, "--url", "http://127.0.0.1:\(port)/metrics"])
        XCTAssertEqual(query.status, 0, query.stderr)
        XCTAssertTrue(query.stdout.contains(#""value":["#) && query.stdout.hasSuffix(#","4"]}]}"# + "\n"), query.stdout)
        let busy = try lesson(["serve", "1", "--port", String(port)])
        XCTAssertEqual(busy.status, 1)
        XCTAssertEqual(busy.stderr, "lesson 1: port \(port) on 127.0.0.1 is already in use; stop the other program or pass --port\n")
    }

    /// A lesson program that dies under `serve all` is reported and started again, the merged
    /// exposition says which lessons answered, and the programs end when `serve all` is killed.
    func testServeAllRestartsALessonThatDiesAndItsLessonsEndWithIt() throws {
        let port = try freeLoopbackPort()
        let errors = Pipe()
        let server = try startLessonServer(["serve", "all", "--port", String(port)], port: port, errors: errors.fileHandleForWriting)
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        func metrics() -> String { (try? HTTPClient.get(url: "http://127.0.0.1:\(port)/metrics", timeout: 5).text) ?? "" }
        func children() throws -> [Int32] {
            let found = try runProcess("/usr/bin/env", ["pgrep", "-P", String(server.processIdentifier)], timeout: 30)
            return found.stdout.split(separator: "\n").compactMap { Int32($0) }
        }
        func waitUntil(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if try condition() { return true }
                Thread.sleep(forTimeInterval: 0.2)
            }
            return try condition()
        }
        let allUp = Workbook.lessons.map { "workbook_lesson_up{lesson=\"\($0.folder)\"} 1" }
        XCTAssertTrue(waitUntil(60) { let text = metrics(); return allUp.allSatisfy(text.contains) }, metrics())
        let before = try children()
        XCTAssertEqual(before.count, Workbook.lessons.count, "one program per lesson")
        let lesson5 = try runProcess("/usr/bin/env", ["pgrep", "-P", String(server.processIdentifier), "-f", "lesson-05-histogram-buckets"], timeout: 30)
        let victim = try XCTUnwrap(Int32(lesson5.stdout.split(separator: "\n").first ?? ""))
        kill(victim, SIGKILL)
        XCTAssertTrue(try waitUntil(30) { try children().count == Workbook.lessons.count && !children().contains(victim) }, "lesson 5 is started again")
        XCTAssertTrue(waitUntil(30) { metrics().contains(#"workbook_lesson_up{lesson="05-histogram-buckets"} 1"#) })
        let after = try children()
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
        try errors.fileHandleForWriting.close()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(said.contains("lesson serve: lesson 5's program crashed (signal 9); restarting it in 1 s"), said)
        // Ended: gone, or a zombie waiting for whoever inherited it to reap it.
        func ended(_ pid: Int32) -> Bool {
            guard let state = try? runProcess("/usr/bin/env", ["ps", "-o", "stat=", "-p", String(pid)], timeout: 30) else { return false }
            return state.status != 0 || state.stdout.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("Z")
        }
        XCTAssertTrue(waitUntil(15) { after.allSatisfy(ended) }, "every lesson program ends with serve all: \(after.filter { !ended($0) })")
    }

    func testServeAllMergesEveryLessonWithALessonLabel() throws {
        let port = try freeLoopbackPort()
        let server = try startLessonServer(["serve", "all", "--port", String(port)], port: port)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        var text = ""
        let deadline = Date().addingTimeInterval(15)
        // The lessons start in parallel; wait until every one is in the merged exposition.
        while Date() < deadline {
            text = try HTTPClient.get(url: "http://127.0.0.1:\(port)/metrics", timeout: 5).text
            if Workbook.lessons.allSatisfy({ text.contains("lesson=\"\($0.folder)\"") }) { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        for lesson in Workbook.lessons {
            XCTAssertTrue(text.contains("lesson=\"\(lesson.folder)\""), "lesson \(lesson.number) is missing from the merged exposition")
        }
        let lint = try ExpositionCheck.promtoolFindings(text)
        XCTAssertEqual(lint.status, 0, lint.findings)
        XCTAssertEqual(lint.findings, "", "the merged exposition should lint clean")
    }

    func testWatchRefusesWhatItCannotWatch() throws {
        let unknown = try lesson(["watch", "99"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertEqual(unknown.stderr, "lesson watch: no lesson \"99\"; there are \(Workbook.lessons.count) (`swift run lesson list` shows them)\n")
        let bare = try lesson(["watch"])
        XCTAssertEqual(bare.status, 2)
        XCTAssertEqual(bare.stderr, "lesson watch: use: swift run lesson watch N\n")
        let outside = try runProcess(lessonPath, ["watch", "1"], directory: NSTemporaryDirectory())
        XCTAssertEqual(outside.status, 2)
        XCTAssertTrue(outside.stderr.hasPrefix("lesson watch: run this inside the workbook's folder"), outside.stderr)
    }

    func testStackWithoutDockerSaysHowToGetIt() throws {
        let result = try lesson(["stack", "up"], environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "lesson stack: docker is not installed: install Docker (with the compose plugin) from https://docs.docker.com/get-docker/, then run `swift run lesson stack up` again\n")
        let bad = try lesson(["stack", "sideways"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.stderr, "lesson stack: use: swift run lesson stack up|down|status\n")
    }

    /// With compose installed but no Docker engine (as here), compose's traceback is not shown: one line is.
    func testStackWithoutAnEngineSaysSoInOneLine() throws {
        _ = try RealTools.dockerCompose()
        let engine = try runProcess("/usr/bin/env", ["docker", "info"], timeout: 60)
        if engine.status == 0 { throw XCTSkip("a Docker engine runs here, so the stack would really start") }
        for action in ["status", "down"] {
            let result = try lesson(["stack", action])
            XCTAssertEqual(result.status, 1)
            XCTAssertEqual(result.stdout, "", action)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "\(action): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("lesson stack: docker compose "), result.stderr)
            XCTAssertTrue(result.stderr.contains("no Docker engine answers"), result.stderr)
        }
    }
}
