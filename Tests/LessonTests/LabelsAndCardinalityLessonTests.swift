import TimeSeries
import PromQL
import WorkbookKit
import TestSupport
import XCTest

@testable import Lesson04LabelsAndCardinality

/// Lesson 4: the solution passes every check, known-wrong versions each fail one, the learner's
/// exercise is checked once attempted, and the demo's families grow the way the lesson says.
final class LabelsAndCardinalityLessonTests: XCTestCase {
    /// Lesson 4's manifest entry.
    private let lesson = Workbook.lesson(named: "4")!

    func testTheSolutionPassesEveryCheck() {
        let report = CheckReport(running: LabelsAndCardinalityChecks.checks(solutionRouteTemplate))
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
        XCTAssertEqual(report.results.count, 10)
    }

    func testTheLearnersExerciseCompilesAndPassesOnceAttempted() throws {
        try LearnersExercise.check(Workbook.lessons[3])
    }

    func testAnUntouchedExerciseIsReportedAsNotAttempted() {
        let report = CheckReport(running: LabelsAndCardinalityChecks.checks { _ in throw NotAttemptedYet() })
        XCTAssertTrue(report.notAttempted)
        XCTAssertFalse(report.passed)
        XCTAssertTrue(report.rendered(for: lesson, subject: "x").contains("Sources/Lessons/04-labels-and-cardinality/Exercise.swift"))
    }

    func testEveryMutantFailsTheCheckMeantToCatchIt() {
        for mutant in Self.mutants {
            let report = CheckReport(running: LabelsAndCardinalityChecks.checks(mutant.template))
            XCTAssertFalse(report.notAttempted, mutant.name)
            XCTAssertTrue(report.failedTitles.contains(mutant.caughtBy),
                          "the mutant '\(mutant.name)' should fail '\(mutant.caughtBy)'; failed: \(report.failedTitles)")
        }
    }

    func testAFailureShowsExpectedFoundAndTheHint() {
        let report = CheckReport(running: LabelsAndCardinalityChecks.checks(Self.mutants[0].template))
        let text = report.rendered(for: lesson, subject: "Exercise.swift")
        XCTAssertTrue(text.contains("  ✗ the query string is dropped\n      expected: /search\n      found:    /search?q=shoes&page=2"), text)
        XCTAssertTrue(text.contains("Hint: " + lesson.hint), text)
    }

    func testTheSolutionMapsEveryGeneratedPathToItsRoute() throws {
        var random = SeededRandom(seed: 4)
        for _ in 0..<1000 {
            let request = ShopTraffic.nextRequest(&random, users: 100_000, ordersPerUser: 50)
            XCTAssertEqual(try solutionRouteTemplate(for: request.path), request.route, request.path)
        }
    }

    func testTheRouteFamilyStaysSmallWhileTheRawPathFamilyGrows() throws {
        let families = try LabelsAndCardinalityDemo.run(.quiet).collect()
        XCTAssertEqual(families.map(\.name), ["http_requests", "http_requests_by_path"])
        XCTAssertLessThanOrEqual(families[0].series.count, 12)
        XCTAssertGreaterThan(families[1].series.count, 300)
    }

    func testTheDemoIsTheSameOnEveryRun() throws {
        XCTAssertEqual(try LabelsAndCardinalityDemo.run(.quiet).collect(), try LabelsAndCardinalityDemo.run(.quiet).collect())
    }

    func testSumByRouteAddsUpEverySeriesOfTheRoute() throws {
        let store = SeriesStore()
        _ = try LabelsAndCardinalityDemo.runShops(scrapingInto: store)
        let engine = PromQLEngine(store: store)
        let now = (LabelsAndCardinalityDemo.startSeconds + 300) * 1000
        guard case .vector(let byRoute) = try engine.evaluate("sum by (route) (http_requests_total)", at: now),
              case .vector(let all) = try engine.evaluate("http_requests_total", at: now)
        else { return XCTFail("both queries return vectors") }
        for element in byRoute {
            let route = element.labels["route"]
            XCTAssertEqual(element.value, all.filter { $0.labels["route"] == route }.reduce(0) { $0 + $1.value }, route)
        }
        XCTAssertEqual(byRoute.reduce(0) { $0 + $1.value }, all.reduce(0) { $0 + $1.value })
    }

    func testSimulatedTrafficOnlyRaisesCountersAndKeepsRoutesBounded() throws {
        let registry = try LabelsAndCardinalityDemo.run(.quiet)
        let before = registry.collect()
        for tick in 0..<120 {
            try LabelsAndCardinalityDemo.simulate(registry, tick: tick)
        }
        let after = registry.collect()
        XCTAssertEqual(after.map(\.name), before.map(\.name))
        for (old, new) in zip(before, after) {
            for series in old.series {
                guard case .counter(let oldValue) = series.value,
                      case .counter(let newValue)? = new.series.first(where: { $0.labelValues == series.labelValues })?.value
                else { return XCTFail("every series stays, as a counter") }
                XCTAssertGreaterThanOrEqual(newValue, oldValue)
            }
        }
        XCTAssertLessThanOrEqual(after[0].series.count, 12)
        XCTAssertGreaterThan(after[1].series.count, before[1].series.count)
    }

    /// Known-wrong versions of `routeTemplate(for:)`, each a mistake a learner could make, and the check that catches it.
    static let mutants: [(name: String, caughtBy: String, template: LabelsAndCardinalityChecks.Template)] = [
        ("query string kept", "the query string is dropped", { path in
            "/" + pieces(path).map { isNumberOrUUID($0) ? ":id" : String($0) }.joined(separator: "/")
        }),
        ("only the last piece replaced", "every numeric piece becomes :id, not only the last", { path in
            var parts = pieces(withoutQuery(path)).map(String.init)
            if let last = parts.last, isNumberOrUUID(Substring(last)) { parts[parts.count - 1] = ":id" }
            return "/" + parts.joined(separator: "/")
        }),
        ("any piece holding a digit replaced", "a piece with letters and digits is kept: v2 is a version, not an id", { path in
            "/" + pieces(withoutQuery(path)).map { $0.contains(where: \.isNumber) ? ":id" : String($0) }.joined(separator: "/")
        }),
        ("trailing and doubled slashes kept", "empty pieces from doubled or trailing slashes are dropped", { path in
            let parts = withoutQuery(path).split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            return "/" + parts.map { !$0.isEmpty && isNumberOrUUID($0) ? ":id" : String($0) }.joined(separator: "/")
        }),
        ("UUIDs left as they are", "a UUID becomes :id, in either case", { path in
            "/" + pieces(withoutQuery(path)).map { $0.allSatisfy(\.isNumber) ? ":id" : String($0) }.joined(separator: "/")
        }),
        ("anything with four dashes taken for a UUID", "something UUID-like that is not a UUID is kept", { path in
            "/" + pieces(withoutQuery(path)).map {
                $0.allSatisfy(\.isNumber) || $0.filter { $0 == "-" }.count == 4 ? ":id" : String($0)
            }.joined(separator: "/")
        }),
        ("the root path becomes empty", "the root path stays /, and an empty path becomes /", { path in
            let template = try solutionRouteTemplate(for: path)
            return template == "/" ? "" : template
        }),
    ]

    /// The path up to its first `?`.
    private static func withoutQuery(_ path: String) -> String {
        String(path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// The path's pieces between slashes, empty ones left out.
    private static func pieces(_ path: String) -> [Substring] {
        path.split(separator: "/")
    }

    /// The solution's test for an id, written with Unicode's `isNumber` and `isHexDigit`.
    private static func isNumberOrUUID(_ piece: Substring) -> Bool {
        if piece.allSatisfy(\.isNumber) { return true }
        let groups = piece.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
