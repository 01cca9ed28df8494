import TestSupport
import Platform
import XCTest

@testable import Instrumentation

final class CounterTests: XCTestCase {
    func testIncrementsByOneAndByAmounts() throws {
        let counter = try Registry().makeCounter(name: "jobs_total", help: "Jobs.")
        XCTAssertEqual(counter.value, 0)
        counter.inc()
        counter.inc(by: 2)
        counter.inc(by: 0.5)
        counter.inc(by: 0.25)
        counter.inc(by: 0)
        XCTAssertEqual(counter.value, 3.75)
    }

    func testNameGivenWithTotalIsNotDoubled() throws {
        let registry = Registry()
        let counter = try registry.makeCounter(name: "jobs_total", help: "Jobs.")
        counter.inc()
        XCTAssertEqual(registry.collect().map(\.name), ["jobs"])
        XCTAssertEqual(PrometheusTextEncoder().render(registry), "# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total 1\n")
        // Asking for it again without the suffix is the same counter.
        XCTAssertTrue(try registry.makeCounter(name: "jobs", help: "Jobs.") === counter)
    }

    func testLabelledChildrenAreCreatedOnceAndReused() throws {
        let family = try Registry().makeCounterFamily(name: "requests", help: "Requests.", labelNames: ["method"])
        let get = try family.labels("GET")
        get.inc()
        XCTAssertTrue(try family.labels("GET") === get)
        XCTAssertFalse(try family.labels("POST") === get)
        XCTAssertEqual(try family.labels("GET").value, 1)
    }

    /// A negative increment must stop the program with a message naming the series.
    /// It runs in a child process (this test binary again, running only the probe below).
    func testNegativeIncrementStopsWithMessageNamingTheMetric() throws {
        if ThreadSanitizerRun.isOn {
            throw XCTSkip("a crashing child process trips the thread sanitizer's runtime; this runs in the plain test pass")
        }
        // The probe re-runs this test executable; where the tests are a bundle loaded by the
        // system's xctest tool (macOS), there is no such executable to re-run.
        guard let testExecutable = executablePath(), testExecutable.hasSuffix(".xctest") else {
            throw XCTSkip("the tests are not an executable of their own here, so the probe cannot re-run them")
        }
        for (probe, amount) in [("negative", "-1.0"), ("nan", "nan"), ("infinite", "inf")] {
            let result = try runProcess(
                testExecutable,
                ["SharedTests.CounterTests/testPreconditionProbe"],
                environment: ["WORKBOOK_PRECONDITION_PROBE": probe, "SWIFT_BACKTRACE": "enable=no"])
            XCTAssertTrue(result.crashed, "the \(probe) increment should have stopped the probe: \(result.stderr)")
            XCTAssertTrue(
                result.stderr.contains(#"counter jobs_total{queue="mail"}: increment must be finite and not negative, got \#(amount)"#),
                "the message should name the series and the amount; stderr was:\n\(result.stderr)")
        }
    }

    /// Not a test on its own: the child process of the test above.
    func testPreconditionProbe() throws {
        guard let probe = ProcessInfo.processInfo.environment["WORKBOOK_PRECONDITION_PROBE"] else {
            throw XCTSkip("runs only as the child process of testNegativeIncrementStopsWithMessageNamingTheMetric")
        }
        let counter = try Registry().makeCounterFamily(name: "jobs", help: "Jobs.", labelNames: ["queue"]).labels("mail")
        switch probe {
        case "negative": counter.inc(by: -1)
        case "nan": counter.inc(by: .nan)
        default: counter.inc(by: .infinity)
        }
        XCTFail("the increment above should not return")
    }
}

extension PrometheusTextEncoder {
    func render(_ registry: Registry) -> String {
        String(decoding: encode(registry.collect()), as: UTF8.self)
    }
}

extension OpenMetricsEncoder {
    func render(_ registry: Registry) -> String {
        String(decoding: encode(registry.collect()), as: UTF8.self)
    }
}
