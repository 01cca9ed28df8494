import Foundation
import TestSupport
import WorkbookKit
import XCTest

/// `lesson lint`: the learner's `promtool check metrics`. Its exit codes, and its lint, which
/// must find what promtool finds, in promtool's words.
final class LintCommandTests: XCTestCase {
    private func lint(_ arguments: [String], input: String? = nil) throws -> ProcessResult {
        try runProcess(buildProductsFolder + "/lesson", ["lint"] + arguments, input: input, directory: packageRoot(), timeout: 120)
    }

    /// Expositions that break promtool's naming and type rules, one or more each.
    static let offenders = [
        "# HELP http_requests Requests.\n# TYPE http_requests counter\nhttp_requests 1\n",
        "# TYPE latency_milliseconds gauge\nlatency_milliseconds 1\n",
        "# HELP fooBar x\n# TYPE fooBar gauge\nfooBar{labelName=\"a\"} 1\n",
        "# HELP x_count x\n# TYPE x_count gauge\nx_count 1\n# HELP x_sum x\n# TYPE x_sum gauge\nx_sum 1\n",
        "# HELP y_total y\n# TYPE y_total gauge\ny_total 1\n",
        "# HELP g_counter g\n# TYPE g_counter gauge\ng_counter 1\n# HELP s_histogram s\n# TYPE s_histogram summary\ns_histogram_sum 1\ns_histogram_count 1\n",
        "# HELP a:b x\n# TYPE a:b gauge\na:b 1\n",
        "# HELP q x\n# TYPE q gauge\nq{le=\"1\"} 1\nq{quantile=\"1\",le=\"2\"} 1\n",
        "# HELP t_ms x\n# TYPE t_ms gauge\nt_ms 1\n# HELP size_kilobytes x\n# TYPE size_kilobytes gauge\nsize_kilobytes 1\n",
        "# HELP b_bucket x\n# TYPE b_bucket counter\nb_bucket 1\n",
        "# TYPE u untyped\nu_count{le=\"1\"} 1\n",
        "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
    ]

    func testTheLintFindsWhatPromtoolFindsInItsWords() throws {
        let promtool = try RealTools.promtool()
        for text in Self.offenders {
            let theirs = try runProcess(promtool, ["check", "metrics"], input: text, timeout: 60)
            let ours = try lint(["-"], input: text)
            XCTAssertEqual(ours.status, 0, "valid, so exit 0 with warnings: \(ours.stderr)")
            let promtoolFindings = (theirs.stdout + theirs.stderr).split(separator: "\n").map(String.init).sorted()
            let lessonFindings = ours.stdout.split(separator: "\n").filter { $0.hasPrefix("warning: ") }.map { String($0.dropFirst(9)) }.sorted()
            XCTAssertEqual(lessonFindings, promtoolFindings, text)
        }
    }

    func testEveryLessonsExpositionIsCleanForBothLinters() throws {
        let promtool = try RealTools.promtool()
        for lesson in Workbook.lessons {
            let metrics = try runProcess(buildProductsFolder + "/lesson", ["metrics", "\(lesson.number)"], directory: packageRoot(), timeout: 600)
            XCTAssertEqual(metrics.status, 0, metrics.stderr)
            let theirs = try runProcess(promtool, ["check", "metrics"], input: metrics.stdout, timeout: 60)
            let ours = try lint(["-", "--format", "prometheus"], input: metrics.stdout)
            XCTAssertEqual(theirs.status, 0, "lesson \(lesson.number): promtool: \(theirs.stdout)\(theirs.stderr)")
            XCTAssertEqual(ours.status, 0, "lesson \(lesson.number): \(ours.stderr)")
            XCTAssertFalse(ours.stdout.contains("warning:"), "lesson \(lesson.number): \(ours.stdout)")
            let openMetrics = try runProcess(buildProductsFolder + "/lesson", ["metrics", "\(lesson.number)", "--format", "openmetrics"], directory: packageRoot(), timeout: 600)
            let strict = try lint(["-"], input: openMetrics.stdout)
            XCTAssertEqual(strict.status, 0, "lesson \(lesson.number) in OpenMetrics (found by its # EOF): \(strict.stderr)")
            XCTAssertTrue(strict.stdout.contains("valid OpenMetrics 1.0"), strict.stdout)
        }
    }

    func testExitCodesAndOneLineErrors() throws {
        let invalid = try lint(["-"], input: "# TYPE x counter\nx_total -1\n# EOF\n")
        XCTAssertEqual(invalid.status, 1)
        XCTAssertTrue(invalid.stderr.hasPrefix("line 2: "), invalid.stderr)
        let broken = try lint(["-", "--format", "prometheus"], input: "x{a=\"b\" 1\n")
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.hasPrefix("line 1: "), broken.stderr)
        for arguments in [["--format", "json"], ["--bogus"], ["a", "b"], ["--url"]] {
            let usage = try lint(arguments, input: "")
            XCTAssertEqual(usage.status, 2, "\(arguments)")
            XCTAssertEqual(usage.stderr.split(separator: "\n").count, 1, "\(arguments): \(usage.stderr)")
        }
        let missing = try lint(["/nonexistent.prom"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "lesson lint: cannot read /nonexistent.prom\n")
        let clean = try lint(["-"], input: "# HELP x_total X.\n# TYPE x_total counter\nx_total 1\n")
        XCTAssertEqual(clean.status, 0)
        XCTAssertEqual(clean.stdout, "valid Prometheus text 0.0.4: 1 families, 1 samples, 0 lint warnings\n")
    }
}
