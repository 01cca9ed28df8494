import Foundation
import Platform
import TimeSeries
import Scraping
import PromQL
import WorkbookKit

/// `lesson query 'EXPR' [--data FILE] [--time T] [--url URL]`: the PromQL subset from the command line.
///
/// With `--data`, over the samples of an OpenMetrics file whose every sample has a
/// timestamp, at `--time` (seconds since the epoch; by default the newest sample's time).
/// Without it, over one scrape of a running lesson server. Prints JSON shaped like the
/// `data` of Prometheus's `/api/v1/query`.
struct QueryCommand {
    let arguments: ArraySlice<String>

    func run() -> Int32 {
        var words = arguments
        guard let query = words.popFirst(), !query.hasPrefix("--") else {
            return fail("give a PromQL expression in quotes: swift run lesson query 'rate(http_requests_total[5m])'")
        }
        var dataFile: String?, time: Double?, url = "http://127.0.0.1:3001/metrics"
        while let flag = words.popFirst() {
            guard let value = words.popFirst() else { return fail("\(flag) needs a value") }
            switch flag {
            case "--data": dataFile = value
            case "--url": url = value
            case "--time":
                guard let seconds = Double(value), seconds.isFinite else { return fail("--time takes seconds since the epoch, such as 1700000000") }
                time = seconds
            default: return fail("unknown option \(flag) for query (use --data FILE, --time T, --url URL)")
            }
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
        let evaluationTime = time.map { Int64(($0 * 1000).rounded()) } ?? newest
        do {
            let value = try PromQLEngine(store: store).evaluate(query, at: evaluationTime)
            print(value.prometheusJSON(at: evaluationTime))
            return 0
        } catch {
            return fail("\(error)", status: 1)
        }
    }

    /// Reads an OpenMetrics file with timestamps into `store`; returns the newest timestamp, or nil after saying what is wrong.
    private func load(_ path: String, into store: SeriesStore) -> Int64? {
        guard let data = FileManager.default.contents(atPath: path) else {
            _ = fail("cannot read \(path)", status: 1)
            return nil
        }
        let samples: [ScrapedSample]
        do {
            samples = try ExpositionParser.parse(Array(data), format: .openmetrics)
        } catch {
            _ = fail("\(path): \(error)", status: 1)
            return nil
        }
        var newest = Int64.min
        for sample in samples {
            guard let seconds = sample.timestamp else {
                _ = fail("\(path): sample \(sample.name) has no timestamp; --data needs one on every sample (seconds after the value)", status: 1)
                return nil
            }
            let milliseconds = Int64((seconds * 1000).rounded())
            var labels = sample.labels
            labels[LabelSet.metricNameLabel] = sample.name
            store.append(LabelSet(labels), timestamp: milliseconds, value: sample.value)
            newest = max(newest, milliseconds)
        }
        guard newest != .min else {
            _ = fail("\(path) holds no samples", status: 1)
            return nil
        }
        return newest
    }

    private func fail(_ problem: String, status: Int32 = 2) -> Int32 {
        printError("lesson query: \(problem)")
        return status
    }
}
