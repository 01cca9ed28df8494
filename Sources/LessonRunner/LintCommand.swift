import Foundation
import HTTP
import Instrumentation
import Platform
import Scraping
import WorkbookKit

/// `lesson lint [FILE|-] [--format prometheus|openmetrics] [--url URL]`: the learner's
/// `promtool check metrics`, for their own exporter's output.
///
/// It reads the exposition (a file, standard input, or a URL it scrapes), validates it (the
/// 0.0.4 text with Prometheus's tolerance, or every MUST of OpenMetrics 1.0), and lints it
/// with promtool's rules and a cardinality warning. Exit 0 when it is valid (lint findings are
/// printed as warnings), 1 with `line N: …` when it is not, 2 for bad usage. The format is
/// `--format`, else what the URL's answer says it is, else OpenMetrics when the text ends
/// with `# EOF`, else 0.0.4.
struct LintCommand {
    let arguments: ArraySlice<String>

    func run() -> Int32 {
        var words = arguments
        var source: String?, url: String?, format: ExpositionFormat?
        while let word = words.popFirst() {
            switch word {
            case "--format":
                guard let value = words.popFirst(), let chosen = ExpositionFormat(rawValue: value) else {
                    return fail("--format takes prometheus or openmetrics")
                }
                format = chosen
            case "--url":
                guard let value = words.popFirst() else { return fail("--url needs a URL, such as http://127.0.0.1:3001/metrics") }
                url = value
            default:
                guard source == nil, !word.hasPrefix("--") || word == "-" else { return fail("unexpected \(word); use: lesson lint [FILE|-] [--format prometheus|openmetrics] [--url URL]") }
                source = word
            }
        }
        guard source == nil || url == nil else { return fail("give a file or --url, not both") }
        let bytes: [UInt8]
        if let url {
            guard let response = try? HTTPClient.get(url: url, headers: ["Accept": HTTPScrapeSource.acceptHeader], timeout: 10) else {
                return fail("could not fetch \(url); is something serving there?", status: 1)
            }
            guard response.status == 200 else { return fail("\(url) answered with status \(response.status)", status: 1) }
            bytes = response.body
            if format == nil, let type = response.headers["Content-Type"] { format = ExpositionFormat(contentType: type) }
        } else if source == nil || source == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else if let data = FileManager.default.contents(atPath: source!) {
            bytes = Array(data)
        } else {
            return fail("cannot read \(source!)", status: 1)
        }
        let chosen = format ?? (Self.endsWithEOF(bytes) ? .openmetrics : .prometheus)
        let families: [ScrapedFamily]
        do {
            families = try ExpositionParser.parseFamilies(bytes, format: chosen)
        } catch {
            printError("\(error)")
            printError("lesson lint: not a valid \(chosen == .openmetrics ? "OpenMetrics 1.0" : "Prometheus text 0.0.4") exposition")
            return 1
        }
        let findings = ExpositionLinter.lint(families)
        for finding in findings { print("warning: \(finding)") }
        let samples = families.reduce(0) { $0 + $1.samples.count }
        print("valid \(chosen == .openmetrics ? "OpenMetrics 1.0" : "Prometheus text 0.0.4"): \(families.count) families, \(samples) samples, \(findings.count) lint warning\(findings.count == 1 ? "" : "s")")
        return 0
    }

    /// Whether the last line is `# EOF`, as an OpenMetrics exposition's is.
    static func endsWithEOF(_ bytes: [UInt8]) -> Bool {
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let marker = Array("# EOF".utf8)
        return end >= marker.count && Array(bytes[(end - marker.count)..<end]) == marker
            && (end == marker.count || bytes[end - marker.count - 1] == UInt8(ascii: "\n"))
    }

    private func fail(_ problem: String, status: Int32 = 2) -> Int32 {
        printError("lesson lint: \(problem)")
        return status
    }
}
