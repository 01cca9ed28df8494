import Foundation
import Platform

/// A real Prometheus server started in the foreground for a test, stopped when the test is done.
///
/// Its HTTP API is called through Python's standard library (a python3 is there whenever
/// the real tools are), one process per batch of queries.
public final class RealPrometheus {
    public let port: Int
    public let folder: String
    private let process: Process
    private let log: FileHandle
    /// A folder of the caller's to delete with the server's own (the backfilled blocks).
    private let alsoRemove: String?

    /// Starts `prometheus` with `config` (YAML text) on loopback, storing in `storage`
    /// (a fresh folder when nil), with `extraArguments`; throws a skip when it is not installed.
    public init(config: String, storage: String? = nil, extraArguments: [String] = [], removing alsoRemove: String? = nil) throws {
        self.alsoRemove = alsoRemove
        let binary = try RealTools.prometheus()
        folder = NSTemporaryDirectory() + "prometheus-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try config.write(toFile: folder + "/prometheus.yml", atomically: true, encoding: .utf8)
        port = try freeLoopbackPort()
        _ = FileManager.default.createFile(atPath: folder + "/prometheus.log", contents: nil)
        log = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/prometheus.log"))
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--config.file=\(folder)/prometheus.yml",
            "--storage.tsdb.path=\(storage ?? folder + "/data")",
            "--web.listen-address=127.0.0.1:\(port)",
        ] + extraArguments
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    /// A Prometheus scraping each job's one target, `127.0.0.1:port`, every second (1 s timeout),
    /// with its exemplar storage on when asked.
    public static func scraping(_ jobs: [(name: String, port: Int)], exemplarStorage: Bool = false) throws -> RealPrometheus {
        let configs = jobs.map { "  - job_name: \($0.name)\n    static_configs: [{targets: ['127.0.0.1:\($0.port)']}]\n" }.joined()
        return try RealPrometheus(
            config: "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n" + configs,
            extraArguments: exemplarStorage ? ["--enable-feature=exemplar-storage"] : [])
    }

    /// A Prometheus holding exactly the samples of `openMetrics` (an OpenMetrics text whose
    /// samples all carry timestamps): written to a file in a fresh folder, turned into blocks
    /// by `promtool tsdb create-blocks-from openmetrics`, and served with no retention limit.
    /// Throws a skip when promtool or prometheus is missing, and fails when the backfill does.
    public static func backfilled(openMetrics: String) throws -> RealPrometheus {
        let folder = NSTemporaryDirectory() + "backfill-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try openMetrics.write(toFile: folder + "/data.om", atomically: true, encoding: .utf8)
        let backfill = try runProcess(try RealTools.promtool(), ["tsdb", "create-blocks-from", "openmetrics", folder + "/data.om", folder + "/blocks"])
        guard backfill.status == 0 else { throw BackfillFailed(description: "promtool could not backfill: \(backfill.stdout)\(backfill.stderr)") }
        return try RealPrometheus(
            config: "global:\n  evaluation_interval: 1m\n", storage: folder + "/blocks", extraArguments: ["--storage.tsdb.retention.time=100y"],
            removing: folder)
    }

    struct BackfillFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// Stops the server and removes its folder (configuration, log, data) and the caller's.
    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: folder)
        if let alsoRemove { try? FileManager.default.removeItem(atPath: alsoRemove) }
    }

    /// Stops the server and waits for it.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        try? log.close()
    }

    /// What Prometheus has logged so far, for failure messages.
    public var logText: String {
        (try? String(contentsOfFile: folder + "/prometheus.log", encoding: .utf8)) ?? ""
    }

    /// Waits until `/-/ready` answers 200 (at most `timeout` seconds), then GETs each path
    /// and returns the parsed JSON bodies in order (error bodies included).
    public func getJSON(_ paths: [String], timeout: Double = 20) throws -> [Any] {
        let script = """
            import sys, json, time, urllib.request, urllib.error
            base = sys.argv[1]
            deadline = time.time() + float(sys.argv[2])
            while True:
                try:
                    if urllib.request.urlopen(base + "/-/ready", timeout=2).status == 200:
                        break
                except Exception:
                    pass
                if time.time() > deadline:
                    sys.exit("prometheus was not ready in time")
                time.sleep(0.1)
            out = []
            for path in json.load(sys.stdin):
                try:
                    body = urllib.request.urlopen(base + path, timeout=20).read()
                except urllib.error.HTTPError as error:
                    body = error.read()
                out.append(json.loads(body))
            print(json.dumps(out))
            """
        let input = String(decoding: try JSONSerialization.data(withJSONObject: paths), as: UTF8.self)
        let result = try runProcess(
            try RealTools.pythonWithPrometheusClient(), ["-c", script, "http://127.0.0.1:\(port)", String(timeout)], input: input)
        guard result.status == 0, let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Any] else {
            throw PrometheusFailure(description: "querying Prometheus failed: \(result.stderr)\n\(logText.suffix(2_000))")
        }
        return parsed
    }

    /// `/api/v1/query` for each (query, time in milliseconds).
    public func instantQueries(_ queries: [(query: String, time: Int64)]) throws -> [Any] {
        let paths = queries.map { entry -> String in
            var components = URLComponents()
            components.queryItems = [
                URLQueryItem(name: "query", value: entry.query),
                URLQueryItem(name: "time", value: String(format: "%.3f", Double(entry.time) / 1000)),
            ]
            let encoded = components.percentEncodedQuery!.replacingOccurrences(of: "+", with: "%2B")
            return "/api/v1/query?" + encoded
        }
        return try getJSON(paths)
    }

    /// `/api/v1/query_range` for each (query, start, end, step in milliseconds).
    public func rangeQueries(_ queries: [(query: String, start: Int64, end: Int64, step: Int64)]) throws -> [Any] {
        let paths = queries.map { entry -> String in
            var components = URLComponents()
            components.queryItems = [
                URLQueryItem(name: "query", value: entry.query),
                URLQueryItem(name: "start", value: String(format: "%.3f", Double(entry.start) / 1000)),
                URLQueryItem(name: "end", value: String(format: "%.3f", Double(entry.end) / 1000)),
                URLQueryItem(name: "step", value: String(format: "%.3f", Double(entry.step) / 1000)),
            ]
            let encoded = components.percentEncodedQuery!.replacingOccurrences(of: "+", with: "%2B")
            return "/api/v1/query_range?" + encoded
        }
        return try getJSON(paths)
    }

    struct PrometheusFailure: Error, CustomStringConvertible {
        let description: String
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
public func freeLoopbackPort() throws -> Int {
    let socketDescriptor = socket(AF_INET, Sockets.streamType, 0)
    guard socketDescriptor >= 0 else { throw CocoaError(.fileReadUnknown) }
    defer { close(socketDescriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, length) }
    }
    guard bound == 0 else { throw CocoaError(.fileReadUnknown) }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketDescriptor, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
