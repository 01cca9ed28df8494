import Foundation
import Prometheus
import Instrumentation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Resident memory per labelled series, and the time to create them, measured as a process
/// sees them.
///
/// A fresh process (this program again, started with `memory ENGINE KIND`) reads its
/// resident set from `/proc/self/statm`, creates 100,000 labelled series, records into each
/// once, reads the resident set again and prints the difference divided by the count, then
/// the seconds the creation took. A process of its own, so that nothing freed earlier is
/// reused and hides the cost.
enum ResidentMemory {
    /// Series created per measurement.
    static let seriesCount = 100_000

    /// One engine's figures: resident bytes per series, seconds to create them all.
    struct Measurement {
        let bytesPerSeries: Int
        let seconds: Double
    }

    /// Both engines' figures for one kind of series.
    struct Comparison {
        let engine: Measurement
        let peer: Measurement
    }

    /// The engines and kinds of series measured.
    enum Engine: String, CaseIterable { case engine, swiftPrometheus = "swift-prometheus" }
    enum Kind: String, CaseIterable { case counter, histogram }

    /// Runs in the child process: creates the series and prints the bytes per series and the seconds taken.
    static func measure(_ engine: Engine, _ kind: Kind) throws {
        let before = residentBytes()
        let start = ContinuousClock.now
        let keepAlive: AnyObject
        switch (engine, kind) {
        case (.engine, .counter):
            let registry = Registry()
            let family = try registry.makeCounterFamily(name: "requests", help: "Requests.", labelNames: ["path", "instance"])
            for index in 0..<seriesCount { try family.labels(path(index), instance(index)).inc() }
            keepAlive = registry
        case (.engine, .histogram):
            let registry = Registry()
            let family = try registry.makeHistogramFamily(name: "latency_seconds", help: "Latency.", labelNames: ["path", "instance"])
            for index in 0..<seriesCount { try family.labels(path(index), instance(index)).observe(0.1) }
            keepAlive = registry
        case (.swiftPrometheus, .counter):
            let registry = PrometheusCollectorRegistry()
            let requests = MetricNameDescriptor(metricName: "requests", unitName: "total", helpText: "Requests.")
            for index in 0..<seriesCount {
                registry.makeCounter(descriptor: requests, labels: [("path", path(index)), ("instance", instance(index))]).increment()
            }
            keepAlive = registry
        case (.swiftPrometheus, .histogram):
            let registry = PrometheusCollectorRegistry()
            let latency = MetricNameDescriptor(metricName: "latency", unitName: "seconds", helpText: "Latency.")
            let buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
            for index in 0..<seriesCount {
                registry.makeValueHistogram(
                    descriptor: latency, labels: [("path", path(index)), ("instance", instance(index))], buckets: buckets
                ).record(0.1)
            }
            keepAlive = registry
        }
        let elapsed = ContinuousClock.now - start
        let after = residentBytes()
        withExtendedLifetime(keepAlive) {
            print((after - before) / seriesCount, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
    }

    /// A distinct path per series (18 to 19 bytes, stored on the heap, as most paths are).
    private static func path(_ index: Int) -> String { "/api/v1/item/\(index)" }

    /// One of 100 instances (short enough to be stored inline in the string).
    private static func instance(_ index: Int) -> String { "pod-\(index % 100)" }

    /// The resident set of this process in bytes.
    private static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }
}
