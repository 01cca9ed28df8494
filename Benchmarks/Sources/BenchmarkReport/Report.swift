import Foundation

/// The whole report: where and when it ran, the table, the summary's accuracy.
enum Report {
    /// Prints the report for the results at `url`; `loadBefore` is the load average when the
    /// run started, before package-benchmark.
    static func print(resultsAt url: URL, loadBefore: String) throws {
        let results = try BenchmarkResults(contentsOf: url)
        let http = try HTTPThroughput.measure()
        let memory = try measureMemory()
        let rows = try ComparisonTable.rows(results: results, http: http, memory: memory)

        Swift.print("""
            Benchmarks: the workbook's engine against swift-prometheus 2.x, measured in one run.
            Date: \(ISO8601DateFormatter().string(from: Date()))
            Machine: \(processorName()), \(ProcessInfo.processInfo.activeProcessorCount) cores; \(swiftVersion)
            Load average (1, 5, 15 min) before the run: \(loadBefore); at its end: \(loadAverage()) (the run's own threads included)
            Figures are medians over package-benchmark's samples (a sample times a million operations,
            or one render or parse); "peer ÷ engine" above 1 means this engine is faster.

            """)
        Swift.print(markdownTable(header: ComparisonTable.header, rows: rows))
        Swift.print("""

            Summary accuracy, in the same run (\(grouped(1_000_000)) exponential observations per sample; rank error as a
            fraction of the count, median and worst over the samples):

            """)
        Swift.print(markdownTable(
            header: ["quantile", "allowed rank error", "observed (median)", "observed (worst)", "within"],
            rows: try SummaryAccuracy.rows(from: results)))
    }

    /// Runs `memory ENGINE KIND` for every engine and kind, each in a new process of this
    /// program: this engine's one after the other, then swift-prometheus's side by side.
    /// swift-prometheus takes minutes to create 100,000 labelled series (each new label set
    /// copies its family's dictionary); running its two at once halves the wait, and changes
    /// the memory they measure not at all (their times only a little: each has a core).
    private static func measureMemory() throws -> [ResidentMemory.Kind: ResidentMemory.Comparison] {
        var measured: [ResidentMemory.Kind: [ResidentMemory.Engine: ResidentMemory.Measurement]] = [:]
        for kind in ResidentMemory.Kind.allCases {
            measured[kind, default: [:]][.engine] = try MemoryChild(.engine, kind).result()
        }
        let peers = try ResidentMemory.Kind.allCases.map { kind in (kind, try MemoryChild(.swiftPrometheus, kind)) }
        for (kind, child) in peers {
            measured[kind, default: [:]][.swiftPrometheus] = try child.result()
        }
        return try measured.mapValues { byEngine in
            guard let engine = byEngine[.engine], let peer = byEngine[.swiftPrometheus] else {
                throw ReportError("a memory measurement is missing")
            }
            return ResidentMemory.Comparison(engine: engine, peer: peer)
        }
    }

    /// A running `memory ENGINE KIND` process.
    private struct MemoryChild {
        let engine: ResidentMemory.Engine
        let kind: ResidentMemory.Kind
        let process = Process()
        let output = Pipe()

        /// Starts the measurement in a new process of this program.
        init(_ engine: ResidentMemory.Engine, _ kind: ResidentMemory.Kind) throws {
            self.engine = engine
            self.kind = kind
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            process.arguments = ["memory", engine.rawValue, kind.rawValue]
            process.standardOutput = output
            try process.run()
        }

        /// Waits for the process and reads what it printed: bytes per series, seconds.
        func result() throws -> ResidentMemory.Measurement {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let fields = text.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard process.terminationStatus == 0, fields.count == 2, let bytes = Int(fields[0]), let seconds = Double(fields[1]) else {
                throw ReportError("the memory measurement of \(engine.rawValue) \(kind.rawValue) failed: \(text)")
            }
            return ResidentMemory.Measurement(bytesPerSeries: bytes, seconds: seconds)
        }
    }

    /// The 1, 5 and 15 minute load averages, "0.12, 0.30, 0.45".
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: ", ")
    }

    private static func processorName() -> String {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) } ?? "unknown processor"
    }

    /// The first line of `swift --version` ("Swift version 6.3.1 (swift-6.3.1-RELEASE)").
    private static var swiftVersion: String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "--version"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "unknown Swift" }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").first.map(String.init) ?? "unknown Swift"
    }
}
