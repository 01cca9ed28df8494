import Foundation
import HTTP
import PromQL
import Scraping
import TimeSeries

/// `lesson query`'s work timed beside a real Prometheus answering the same query over HTTP.
///
/// The data: 1,000 counter series (10 jobs × 100 instances) over one hour at a 15 s interval,
/// as an OpenMetrics file with timestamps (about 18 MB). The workbook loads it into a series
/// store (what `lesson query --data` does before it can answer) and evaluates the query;
/// Prometheus gets the same file through `promtool tsdb create-blocks-from openmetrics` and
/// answers `/api/v1/query` at the same time. Each figure is the median of `rounds` runs.
enum QueryAgainstPrometheus {
    static let query = "sum by (job) (rate(http_requests_total[5m]))"

    static func run(rounds: Int) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("query-benchmark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (file, evaluationTime) = makeData()
        let dataPath = folder.appendingPathComponent("data.om").path
        try Data(file).write(to: URL(fileURLWithPath: dataPath))
        print("data: \(file.count / 1_000_000) MB, 1,000 series × 240 samples; query: \(query)")

        var loads: [Double] = [], evaluations: [Double] = []
        var answer = ""
        for _ in 0..<rounds {
            let store = SeriesStore()
            let started = ContinuousClock.now
            _ = try TimestampedExposition.load(file, into: store)
            let loaded = ContinuousClock.now
            // The Prometheus here is 2.x: the engine answers by Prometheus 2's rules to compare.
            let value = try PromQLEngine(store: store, semantics: .prometheus2).evaluate(query, at: evaluationTime)
            let evaluated = ContinuousClock.now
            loads.append(seconds(loaded - started))
            evaluations.append(seconds(evaluated - loaded))
            answer = value.prometheusJSON(at: evaluationTime)
        }

        let blocks = folder.appendingPathComponent("blocks").path
        try runTool("promtool", ["tsdb", "create-blocks-from", "openmetrics", dataPath, blocks])
        let port = 19_000 + Int.random(in: 0..<1_000)
        let config = folder.appendingPathComponent("prometheus.yml").path
        try "global:\n  scrape_interval: 1h\n".write(toFile: config, atomically: true, encoding: .utf8)
        let prometheus = Process()
        prometheus.executableURL = try toolPath("prometheus")
        prometheus.arguments = ["--config.file=\(config)", "--storage.tsdb.path=\(blocks)", "--storage.tsdb.retention.time=100y",
                                "--web.listen-address=127.0.0.1:\(port)"]
        prometheus.standardOutput = FileHandle.nullDevice
        prometheus.standardError = FileHandle.nullDevice
        try prometheus.run()
        defer { prometheus.terminate(); prometheus.waitUntilExit() }
        let base = "http://127.0.0.1:\(port)"
        let deadline = Date().addingTimeInterval(30)
        while (try? HTTPClient.get(url: base + "/-/ready", timeout: 1))?.status != 200 {
            guard Date() < deadline else { throw ReportError("prometheus did not become ready") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        var components = URLComponents()
        components.queryItems = [URLQueryItem(name: "query", value: query), URLQueryItem(name: "time", value: String(Double(evaluationTime) / 1000))]
        let url = base + "/api/v1/query?" + components.percentEncodedQuery!.replacingOccurrences(of: "+", with: "%2B")
        var requests: [Double] = []
        var theirs = ""
        for _ in 0..<(rounds + 1) {
            let started = ContinuousClock.now
            let response = try HTTPClient.get(url: url, timeout: 30)
            requests.append(seconds(ContinuousClock.now - started))
            theirs = String(decoding: response.body, as: UTF8.self)
        }
        requests.removeFirst()  // the first request also warms Prometheus's caches

        print("""
            workbook, load the file into a series store  \(milliseconds(median(loads)))
            workbook, evaluate the query                 \(milliseconds(median(evaluations)))
            workbook, load and evaluate                  \(milliseconds(median(zip(loads, evaluations).map(+))))
            Prometheus, /api/v1/query over HTTP          \(milliseconds(median(requests)))
            (medians of \(rounds) runs; Prometheus's data already in its blocks)
            largest relative difference between the answers: \(largestDifference(ours: answer, theirs: theirs))
            """)
    }

    /// The largest relative difference between the values of two `/api/v1/query` vector answers,
    /// series matched by labels; "different series" when the label sets differ.
    static func largestDifference(ours: String, theirs: String) -> String {
        func values(_ json: String) -> [String: Double] {
            guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
            let data = object["data"] as? [String: Any] ?? object
            var values: [String: Double] = [:]
            for item in data["result"] as? [[String: Any]] ?? [] {
                let labels = (item["metric"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                values[labels] = Double(((item["value"] as? [Any])?.last as? String) ?? "") ?? .nan
            }
            return values
        }
        let a = values(ours), b = values(theirs)
        guard !a.isEmpty, Set(a.keys) == Set(b.keys) else { return "different series" }
        let largest = a.map { key, value in abs(value - b[key]!) / max(abs(value), abs(b[key]!), 1e-300) }.max() ?? 0
        return String(largest)
    }

    /// The benchmark's data, and the time to ask at: the end of its hour.
    static func makeData() -> (bytes: [UInt8], time: Int64) {
        var text = "# TYPE http_requests counter\n"
        let start: Int64 = 1_700_000_000
        var state: UInt64 = 42
        for job in 0..<10 {
            for instance in 0..<100 {
                var value = 0
                for step in 0..<240 {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    value += Int(state >> 59)
                    text += "http_requests_total{job=\"job\(job)\",instance=\"i\(instance)\",code=\"200\"} \(value) \(start + Int64(step) * 15)\n"
                }
            }
        }
        text += "# EOF\n"
        return (Array(text.utf8), (start + 239 * 15) * 1000)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func milliseconds(_ seconds: Double) -> String {
        String(format: "%8.1f ms", seconds * 1000)
    }

    static func toolPath(_ name: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard let found = path.split(separator: ":").map({ "\($0)/\(name)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw ReportError("\(name) is not on the PATH (apt-get install -y prometheus)")
        }
        return URL(fileURLWithPath: found)
    }

    static func runTool(_ name: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = try toolPath(name)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ReportError("\(name) \(arguments.first ?? "") failed") }
    }
}
