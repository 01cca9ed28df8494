import Foundation
import Synchronization
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
        XCTAssertEqual(report.results.count, 13)
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

    func testEveryMutantFailsTheGeneratedCheck() {
        for mutant in Self.mutants {
            let report = CheckReport(running: LabelsAndCardinalityChecks.checks(mutant.template))
            XCTAssertTrue(report.failedTitles.contains(Self.generatedTitle),
                          "the generated check should catch the mutant '\(mutant.name)'; failed: \(report.failedTitles)")
        }
    }

    func testTheGeneratedCheckTriesTwoThousandPaths() throws {
        let calls = CallCount()
        let checks = LabelsAndCardinalityChecks.checks { path in
            calls.add()
            return try solutionRouteTemplate(for: path)
        }
        let generated = try XCTUnwrap(checks.first { $0.title == Self.generatedTitle })
        XCTAssertTrue(CheckReport(running: [generated]).passed)
        XCTAssertGreaterThanOrEqual(calls.value, 2_000)
    }

    /// Splitting by `Character` (what `String.split` does) is right for every path the checks try.
    func testSplittingByCharacterOrByScalarAgrees() {
        let report = CheckReport(running: LabelsAndCardinalityChecks.checks { path in
            let scalars = path.unicodeScalars.prefix { $0 != "?" }
            let pieces = scalars.split(separator: "/").map { piece -> String in
                let text = String(String.UnicodeScalarView(piece))
                return (try? solutionRouteTemplate(for: "/" + text)) == "/:id" ? ":id" : text
            }
            return "/" + pieces.joined(separator: "/")
        })
        XCTAssertTrue(report.passed, "failed: \(report.failedTitles)")
    }

    func testAGeneratedFailureShowsTheShrunkPath() throws {
        let parsed = try XCTUnwrap(Self.mutants.first { $0.name.hasPrefix("Int(piece) != nil") })
        let report = CheckReport(running: LabelsAndCardinalityChecks.checks(parsed.template))
        guard case .failed(let failure)? = report.results.first(where: { $0.title == Self.generatedTitle })?.outcome else {
            return XCTFail("the generated check should fail")
        }
        let input = try XCTUnwrap(failure.input)
        XCTAssertTrue(input.hasPrefix("routeTemplate(for: \""), input)
        XCTAssertLessThanOrEqual(input.count, 60, "shrunk to a short path: \(input)")
        XCTAssertNotNil(failure.seed)
    }

    func testAFailureShowsExpectedFoundAndTheHint() {
        let report = CheckReport(running: LabelsAndCardinalityChecks.checks(Self.mutants[0].template))
        let text = report.rendered(for: lesson, subject: "Exercise.swift")
        XCTAssertTrue(text.contains("  ✗ the query string is dropped\n      input:    routeTemplate(for: \"/search?q=shoes&page=2\")\n      expected: \"/search\"\n      found:    \"/search?q=shoes&page=2\""), text)
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
        ("Int(piece) != nil as the id test: signs pass, 30 digits overflow", "an id is ASCII digits 0-9 only: signs and other scripts' digits are kept", { path in
            routeTemplate(path) { Int($0) != nil || isUUID($0) }
        }),
        ("UInt64(piece) != nil as the id test: 30 digits overflow", "a 30-digit id is an id too: it must not overflow into a raw label value", { path in
            routeTemplate(path) { UInt64($0) != nil || isUUID($0) }
        }),
        ("Double(piece) != nil as the id test", "an id is ASCII digits 0-9 only: signs and other scripts' digits are kept", { path in
            routeTemplate(path) { Double($0) != nil || isUUID($0) }
        }),
        ("isWholeNumber as the digit test: other scripts' digits pass", "an id is ASCII digits 0-9 only: signs and other scripts' digits are kept", { path in
            routeTemplate(path) { $0.allSatisfy(\.isWholeNumber) || isUUID($0) }
        }),
        ("Characters between \"0\" and \"9\": a digit with a combining mark passes", generatedTitle, { path in
            routeTemplate(path) { $0.allSatisfy { ("0"..."9").contains($0) } || isUUID($0) }
        }),
        ("UUID hex digits tested with isHexDigit alone: fullwidth passes", generatedTitle, { path in
            routeTemplate(path) { piece in
                let groups = piece.split(separator: "-", omittingEmptySubsequences: false)
                return isASCIIDigits(piece) || groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
            }
        }),
        ("a UUID is 36 characters with dashes, wherever they are", generatedTitle, { path in
            routeTemplate(path) { isASCIIDigits($0) || $0.count == 36 && $0.filter { $0 == "-" }.count == 4 && $0.allSatisfy { $0 == "-" || $0.isHexDigit } }
        }),
        ("any hex word taken for an id", generatedTitle, { path in
            routeTemplate(path) { $0.allSatisfy(\.isHexDigit) || isUUID($0) }
        }),
        ("the path read with URLComponents: decoded, fragment dropped", generatedTitle, { path in
            let decoded = URLComponents(string: path)?.path ?? path
            return routeTemplate(decoded) { isASCIIDigits($0) || isUUID($0) }
        }),
        ("the query cut at the last ?", generatedTitle, { path in
            let cut = path.lastIndex(of: "?").map { String(path[..<$0]) } ?? path
            return "/" + cut.split(separator: "/").map { isASCIIDigits($0) || isUUID($0) ? ":id" : String($0) }.joined(separator: "/")
        }),
        ("split on / before the query is cut", generatedTitle, { path in
            let pieces = path.split(separator: "/").map { $0.prefix { $0 != "?" } }.filter { !$0.isEmpty }
            return "/" + pieces.map { isASCIIDigits($0) || isUUID($0) ? ":id" : String($0) }.joined(separator: "/")
        }),
        ("# taken as the start of the query", generatedTitle, { path in
            try solutionRouteTemplate(for: String(path.prefix { $0 != "#" }))
        }),
    ]

    /// The title of the check that compares with the reference on generated paths.
    private static let generatedTitle = "2,000 generated paths match the reference"

    /// The template of `path` with the query cut at the first `?` and ids found by `isID`.
    private static func routeTemplate(_ path: String, isID: (Substring) -> Bool) -> String {
        "/" + pieces(withoutQuery(path)).map { isID($0) ? ":id" : String($0) }.joined(separator: "/")
    }

    /// Whether every Unicode scalar of `piece` is an ASCII digit.
    private static func isASCIIDigits(_ piece: Substring) -> Bool {
        piece.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    /// The rule's UUID test, on Unicode scalars.
    private static func isUUID(_ piece: Substring) -> Bool {
        let groups = piece.unicodeScalars.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy { $0.isASCII && $0.properties.isASCIIHexDigit } }
    }

    /// How many times a closure under test was called, from any thread.
    private final class CallCount: Sendable {
        private let count = Mutex(0)

        /// One more call.
        func add() {
            count.withLock { $0 += 1 }
        }

        /// The calls so far.
        var value: Int {
            count.withLock { $0 }
        }
    }

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
