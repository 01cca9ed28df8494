import Foundation
import Instrumentation
import HTTP

/// Requests per second that `/metrics` answers, measured with wrk on loopback.
///
/// The server is the workbook's own (`HTTPServer` with a `MetricsEndpoint`), serving a
/// registry of 100 counter series in this process; wrk runs as a separate process with one
/// thread and a few keep-alive connections, so that the two cores are shared between the
/// load and the server the way they would be on a laptop. swift-prometheus has no server.
enum HTTPThroughput {
    /// Series the endpoint serves.
    static let seriesCount = 100
    /// Keep-alive connections wrk holds open.
    static let connections = 8
    /// Seconds wrk runs.
    static let seconds = 5

    /// The requests per second wrk reports, and the exposition size in bytes.
    static func measure() throws -> (requestsPerSecond: Double, bodyBytes: Int) {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: FileManager.default.isExecutableFile) else {
            throw ReportError("wrk is not installed; install it with: apt-get install -y wrk")
        }
        let registry = Registry()
        let requests = try registry.makeCounterFamily(name: "http_requests", help: "Requests served.", labelNames: ["route", "status"])
        for index in 0..<seriesCount {
            try requests.labels("/api/v1/resource/\(index / 4)", ["200", "404", "500", "503"][index % 4]).inc(by: Double(index * 37))
        }
        let endpoint = MetricsEndpoint(registry: registry)
        let server = HTTPServer(port: 0, handler: endpoint.makeHandler())
        try server.start()
        defer { server.stop() }
        let bodyBytes = ExpositionFormat.prometheus.encode(registry.collect()).count

        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = ["-t1", "-c\(connections)", "-d\(seconds)s", "\(server.url)/metrics"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
              let rate = Double(line.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces))
        else { throw ReportError("wrk did not report a request rate:\n\(text)") }
        if text.contains("Non-2xx") || text.contains("Socket errors") {
            throw ReportError("wrk saw failed requests:\n\(text)")
        }
        return (rate, bodyBytes)
    }
}
