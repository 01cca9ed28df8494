/// The side-by-side table: one row per operation, this engine against swift-prometheus,
/// each with its target from the benchmark issue.
struct ComparisonTable {
    /// How a row's engine figure is judged.
    enum Target {
        /// At most this many of the row's unit.
        case atMost(Double)
        /// At least this many of the row's unit.
        case atLeast(Double)
        /// At most this multiple of another row's engine figure (named by its benchmark).
        case multipleOf(String, Double)
        /// Reported, not judged.
        case none
    }

    /// How a benchmark's sample turns into the row's figure.
    enum Unit {
        /// Nanoseconds per operation: the sample timed a million operations.
        case nanosecondsPerOperation
        /// Milliseconds per operation: the sample timed one.
        case millisecondsPerOperation

        var operationsPerSample: Double {
            switch self {
            case .nanosecondsPerOperation: 1_000_000
            case .millisecondsPerOperation: 1
            }
        }

        func figure(nanosecondsPerSample: Double) -> Double {
            switch self {
            case .nanosecondsPerOperation: nanosecondsPerSample / operationsPerSample
            case .millisecondsPerOperation: nanosecondsPerSample / 1_000_000
            }
        }

        func text(_ figure: Double) -> String {
            switch self {
            case .nanosecondsPerOperation: "\(decimal(figure, places: 2)) ns"
            case .millisecondsPerOperation: "\(decimal(figure, places: 3)) ms"
            }
        }
    }

    /// A timed row: its benchmark (`counter-inc` runs as `counter-inc/engine` and
    /// `counter-inc/swift-prometheus`), or why swift-prometheus has no figure.
    struct TimedRow {
        let operation: String
        let benchmark: String
        let unit: Unit
        let target: Target
        /// Why swift-prometheus has no figure, when it lacks the feature.
        var peerMissing: String?
    }

    /// The timed rows, in the order of the issue.
    static let timedRows: [TimedRow] = [
        TimedRow(operation: "counter increment by 1, no labels", benchmark: "counter-inc",
                 unit: .nanosecondsPerOperation, target: .atMost(2.5)),
        TimedRow(operation: "counter add 0.5 (fractional)", benchmark: "counter-add-fraction",
                 unit: .nanosecondsPerOperation, target: .atMost(5)),
        TimedRow(operation: "gauge add 0.5", benchmark: "gauge-add",
                 unit: .nanosecondsPerOperation, target: .atMost(5)),
        TimedRow(operation: "gauge set", benchmark: "gauge-set",
                 unit: .nanosecondsPerOperation, target: .atMost(1.5)),
        TimedRow(operation: "histogram observe, 11 default buckets", benchmark: "histogram-observe",
                 unit: .nanosecondsPerOperation, target: .atMost(10)),
        TimedRow(operation: "labelled child lookup by 3 values, then increment", benchmark: "labelled-lookup-inc",
                 unit: .nanosecondsPerOperation, target: .atMost(40)),
        TimedRow(operation: "summary observe, 3 objectives, 5 age buckets", benchmark: "summary-observe",
                 unit: .nanosecondsPerOperation, target: .atMost(150), peerMissing: "no summary type"),
        TimedRow(operation: "counter increment, 2 threads, one series (per op per thread)", benchmark: "counter-inc-2-threads",
                 unit: .nanosecondsPerOperation, target: .atMost(3)),
        TimedRow(operation: "histogram observe, 2 threads, one series (per op per thread)", benchmark: "histogram-observe-2-threads",
                 unit: .nanosecondsPerOperation, target: .multipleOf("histogram-observe", 1.5)),
        TimedRow(operation: "histogram observe, 2 threads, a series each (nothing shared: this machine's floor)",
                 benchmark: "histogram-observe-2-threads-own-series", unit: .nanosecondsPerOperation,
                 target: .multipleOf("histogram-observe", 1.5), peerMissing: "not measured"),
        TimedRow(operation: "render 10,000 counter series to 0.0.4 (collect + encode)", benchmark: "render-10k-text",
                 unit: .millisecondsPerOperation, target: .atMost(0.4)),
        TimedRow(operation: "render 10,000 counter series to OpenMetrics (collect + encode)", benchmark: "render-10k-openmetrics",
                 unit: .millisecondsPerOperation, target: .atMost(0.6), peerMissing: "no OpenMetrics encoder"),
        TimedRow(operation: "parse a 10,000-series 0.0.4 exposition", benchmark: "parse-10k-text",
                 unit: .millisecondsPerOperation, target: .atMost(5), peerMissing: "no parser"),
    ]

    /// The header of the table.
    static let header = ["operation", "this engine", "swift-prometheus", "peer ÷ engine", "allocations per op (engine / peer)", "target", "met"]

    /// The rows as text, from one run's results and the measurements taken here.
    static func rows(
        results: BenchmarkResults, http: (requestsPerSecond: Double, bodyBytes: Int),
        memory: [ResidentMemory.Kind: ResidentMemory.Comparison]
    ) throws -> [[String]] {
        let harness = try results("harness/empty").mallocsPerSample
        func allocations(_ name: String, _ unit: Unit) throws -> String {
            let perOperation = max(0, try results(name).mallocsPerSample - harness) / unit.operationsPerSample
            if unit.operationsPerSample == 1 { return grouped(Int(perOperation.rounded())) }
            return perOperation < 0.005 ? "0" : decimal(perOperation, places: 2)
        }

        var rows: [[String]] = []
        for row in timedRows {
            let engineName = "\(row.benchmark)/engine"
            let engine = row.unit.figure(nanosecondsPerSample: try results(engineName).nanosecondsPerSample)
            var peerText = row.peerMissing ?? ""
            var ratioText = "—"
            var peerAllocations = "—"
            if row.peerMissing == nil {
                let peerName = "\(row.benchmark)/swift-prometheus"
                let peer = row.unit.figure(nanosecondsPerSample: try results(peerName).nanosecondsPerSample)
                peerText = row.unit.text(peer)
                ratioText = "\(decimal(peer / engine, places: 1))×"
                peerAllocations = try allocations(peerName, row.unit)
            }
            let (targetText, met): (String, Bool) = switch row.target {
            case .atMost(let limit): ("≤ \(row.unit.text(limit))", engine <= limit)
            case .atLeast(let floor): ("≥ \(row.unit.text(floor))", engine >= floor)
            case .multipleOf(let other, let factor):
                try {
                    let base = row.unit.figure(nanosecondsPerSample: try results("\(other)/engine").nanosecondsPerSample)
                    return ("≤ \(decimal(factor, places: 1))× one thread (\(decimal(engine / base, places: 2))× here)", engine <= factor * base)
                }()
            case .none: ("—", true)
            }
            rows.append([
                row.operation, row.unit.text(engine), peerText, ratioText,
                "\(try allocations(engineName, row.unit)) / \(peerAllocations)", targetText, met ? "yes" : "NO",
            ])
        }

        let throughputTarget = 20_000.0
        rows.append([
            "/metrics over HTTP, \(HTTPThroughput.seriesCount) series (\(http.bodyBytes) bytes), keep-alive, wrk with \(HTTPThroughput.connections) connections",
            "\(grouped(Int(http.requestsPerSecond.rounded()))) req/s", "no HTTP endpoint", "—", "—",
            "≥ \(grouped(Int(throughputTarget))) req/s", http.requestsPerSecond >= throughputTarget ? "yes" : "NO",
        ])
        for kind in ResidentMemory.Kind.allCases {
            guard let measured = memory[kind] else { continue }
            let series = kind == .counter ? "labelled counter series" : "labelled histogram series, 11 buckets"
            let (engine, peer) = (measured.engine, measured.peer)
            rows.append([
                "resident memory per \(series) (\(grouped(ResidentMemory.seriesCount)) created)",
                "\(grouped(engine.bytesPerSeries)) bytes", "\(grouped(peer.bytesPerSeries)) bytes",
                "\(decimal(Double(peer.bytesPerSeries) / Double(engine.bytesPerSeries), places: 1))×", "—", "—", "—",
            ])
            rows.append([
                "create those \(grouped(ResidentMemory.seriesCount)) \(series) (one process, once)",
                "\(decimal(engine.seconds, places: 2)) s", "\(decimal(peer.seconds, places: 2)) s",
                "\(decimal(peer.seconds / engine.seconds, places: 0))×", "—", "—", "—",
            ])
        }
        return rows
    }
}

/// `value` with `places` digits after the point.
func decimal(_ value: Double, places: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scaled = (value * pow10(places)).rounded()
    let negative = scaled < 0
    scaled = abs(scaled)
    var digits = String(Int(scaled))
    if places > 0 {
        while digits.count <= places { digits = "0" + digits }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
    }
    return negative ? "-" + digits : digits
}

private func pow10(_ exponent: Int) -> Double {
    (0..<exponent).reduce(1.0) { product, _ in product * 10 }
}

/// `value` with thousands separated by commas: 20,000.
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var text = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
        text.append(digit)
    }
    return value < 0 ? "-" + text : text
}

/// A Markdown table: a header row, a separator, the rows; columns padded to line up.
func markdownTable(header: [String], rows: [[String]]) -> String {
    let widths = header.indices.map { column in
        ([header] + rows).map { $0[column].count }.max() ?? 0
    }
    func line(_ cells: [String]) -> String {
        "| " + zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: " | ") + " |"
    }
    let separator = "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"
    return ([line(header), separator] + rows.map(line)).joined(separator: "\n")
}
