import Foundation

/// The report of `run.sh`: reads package-benchmark's results, takes the measurements
/// package-benchmark cannot (HTTP throughput, resident memory), and prints the
/// side-by-side table and the summary's accuracy.
///
/// Usage:
///   BenchmarkReport table RESULTS.jmh.json [LOAD]
///                                             the report; LOAD is the load average when the
///                                             run started (now, when not given)
///   BenchmarkReport memory ENGINE KIND        one memory measurement (run by the report
///                                             in a process of its own)
///   BenchmarkReport lookup-under-scrape [ROUNDS]
///                                             labelled lookup latency while another thread
///                                             scrapes (5 rounds when not given)
///   BenchmarkReport query-vs-prometheus [ROUNDS]
///                                             `lesson query`'s load and evaluation beside a
///                                             real Prometheus over HTTP (needs prometheus and
///                                             promtool on the PATH; 7 rounds when not given)
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "table" where (2...3).contains(arguments.count):
        try Report.print(resultsAt: URL(fileURLWithPath: arguments[1]), loadBefore: arguments.count == 3 ? arguments[2] : Report.loadAverage())
    case "memory" where arguments.count == 3:
        guard let engine = ResidentMemory.Engine(rawValue: arguments[1]), let kind = ResidentMemory.Kind(rawValue: arguments[2]) else {
            throw ReportError("memory takes an engine (engine, swift-prometheus) and a kind (counter, histogram)")
        }
        try ResidentMemory.measure(engine, kind)
    case "lookup-under-scrape" where arguments.count <= 2:
        guard let rounds = arguments.count == 2 ? Int(arguments[1]) : 5, rounds > 0 else {
            throw ReportError("lookup-under-scrape takes a positive number of rounds")
        }
        try LookupUnderScrape.run(rounds: rounds)
    case "query-vs-prometheus" where arguments.count <= 2:
        guard let rounds = arguments.count == 2 ? Int(arguments[1]) : 7, rounds > 0 else {
            throw ReportError("query-vs-prometheus takes a positive number of rounds")
        }
        try QueryAgainstPrometheus.run(rounds: rounds)
    default:
        throw ReportError("usage: BenchmarkReport table RESULTS.jmh.json [LOAD] | BenchmarkReport memory ENGINE KIND | BenchmarkReport lookup-under-scrape [ROUNDS] | BenchmarkReport query-vs-prometheus [ROUNDS]")
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
