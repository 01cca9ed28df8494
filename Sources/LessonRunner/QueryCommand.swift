import Foundation
import Platform
import TimeSeries
import Scraping
import PromQL
import WorkbookKit

/// `lesson query 'EXPR' [--data FILE] [--time T | --start S --end E --step D] [--url URL] [--prometheus 2|3]`:
/// PromQL from the command line.
///
/// With `--data`, over the samples of an OpenMetrics file whose every sample has a timestamp,
/// at `--time` (seconds since the epoch; by default the newest sample's time), or at every
/// step from `--start` to `--end` (a range query). Without it, over one scrape of a running
/// lesson server. Prints JSON shaped like the `data` of Prometheus's `/api/v1/query` (or
/// `/api/v1/query_range`). `--prometheus 2` evaluates by Prometheus 2's rules (see `PromQLSemantics`).
struct QueryCommand {
    let arguments: ArraySlice<String>

    func run() -> Int32 {
        var words = arguments
        guard let query = words.popFirst(), !query.hasPrefix("--") else {
            return fail("give a PromQL expression in quotes: swift run lesson query 'rate(http_requests_total[5m])'")
        }
        var dataFile: String?, url = "http://127.0.0.1:3001/metrics"
        var time: Int64?, start: Int64?, end: Int64?, step: Int64?
        var semantics = PromQLSemantics.prometheus3
        while let flag = words.popFirst() {
            guard let value = words.popFirst() else { return fail("\(flag) needs a value") }
            switch flag {
            case "--data": dataFile = value
            case "--url": url = value
            case "--time", "--start", "--end":
                guard let milliseconds = Self.milliseconds(value) else {
                    return fail("\(flag) takes seconds since the epoch, such as 1700000000 (at most 9.2e12)")
                }
                switch flag {
                case "--time": time = milliseconds
                case "--start": start = milliseconds
                default: end = milliseconds
                }
            case "--step":
                guard let milliseconds = Self.duration(value), milliseconds > 0 else {
                    return fail("--step takes a positive number of seconds or a duration, such as 15 or 1m")
                }
                step = milliseconds
            case "--prometheus":
                guard let chosen = PromQLSemantics(rawValue: value) else { return fail("--prometheus takes 2 or 3") }
                semantics = chosen
            default: return fail("unknown option \(flag) for query (use --data FILE, --time T, --start S --end E --step D, --url URL, --prometheus 2|3)")
            }
        }
        let isRange = start != nil || end != nil || step != nil
        if isRange {
            guard start != nil, end != nil, step != nil else { return fail("a range query needs all of --start, --end and --step") }
            guard time == nil else { return fail("use --time for an instant query, or --start, --end and --step for a range query, not both") }
        }
        let store = SeriesStore()
        var newest: Int64
        if let dataFile {
            guard let loaded = load(dataFile, into: store) else { return 1 }
            newest = loaded
        } else {
            let report = Scraper(store: store).scrape(Scraper.Target(job: "workbook", source: HTTPScrapeSource(url: url)))
            guard report.up else {
                return fail("could not scrape \(url): \(report.error ?? "unknown error"); start a lesson server with `swift run lesson serve` or pass --data FILE", status: 1)
            }
            newest = report.timestamp
        }
        let engine = PromQLEngine(store: store, semantics: semantics)
        do {
            if isRange, let start, let end, let step {
                print(try engine.evaluateRange(query, start: start, end: end, step: step).prometheusJSON(at: end))
            } else {
                let evaluationTime = time ?? newest
                print(try engine.evaluate(query, at: evaluationTime).prometheusJSON(at: evaluationTime))
            }
            return 0
        } catch let error as PromQLError {
            printError("lesson query: \(error)")
            if let position = error.position { printError(Self.caret(under: query, at: position)) }
            return 1
        } catch {
            return fail("\(error)", status: 1)
        }
    }

    /// The query, and a caret under the character at `position` (counted in Unicode scalars).
    static func caret(under query: String, at position: Int) -> String {
        let scalars = Array(query.unicodeScalars)
        // Show the line the position is on, for a query written over several lines.
        var lineStart = 0, index = 0
        while index < min(position, scalars.count) {
            if scalars[index] == "\n" { lineStart = index + 1 }
            index += 1
        }
        var lineEnd = lineStart
        while lineEnd < scalars.count, scalars[lineEnd] != "\n" { lineEnd += 1 }
        let line = String(String.UnicodeScalarView(scalars[lineStart..<lineEnd]))
        return "  " + line + "\n  " + String(repeating: " ", count: max(0, position - lineStart)) + "^"
    }

    /// Seconds since the epoch, within what the engine accepts, as milliseconds.
    static func milliseconds(_ text: String) -> Int64? {
        guard let seconds = Double(text), seconds.isFinite, Swift.abs(seconds) <= 9.2e12 else { return nil }
        return Int64((seconds * 1000).rounded())
    }

    /// A step: seconds (`15`, `0.5`) or a PromQL duration (`1m`, `1h30m`).
    static func duration(_ text: String) -> Int64? {
        if let seconds = Double(text) {
            guard seconds.isFinite, seconds > 0, seconds <= 3.15e11 else { return nil }
            return Int64((seconds * 1000).rounded())
        }
        guard case .matrixSelector(_, let range)? = try? PromQLParser.parse("x[\(text)]") else { return nil }
        return range
    }

    /// Reads an OpenMetrics file with timestamps into `store`; returns the newest timestamp, or nil after saying what is wrong.
    private func load(_ path: String, into store: SeriesStore) -> Int64? {
        let loaded = FileBytes.withContents(of: path) { bytes in
            Result { () throws(TimestampedExposition.LoadError) -> Int64 in try TimestampedExposition.load(bytes, into: store) }
        }
        switch loaded {
        case nil:
            _ = fail("cannot read \(path)", status: 1)
            return nil
        case .failure(let error)?:
            _ = fail("\(path): \(error)", status: 1)
            return nil
        case .success(let newest)?:
            return newest
        }
    }

    private func fail(_ problem: String, status: Int32 = 2) -> Int32 {
        printError("lesson query: \(problem)")
        return status
    }
}
