import Foundation
import Instrumentation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How long `family.labels(method, path, status).inc()` takes while another thread scrapes
/// the family, against the same calls with nobody scraping.
///
/// One family of 10,000 counter series (4 methods × 250 paths × 10 statuses). The recording
/// thread looks up every series in a shuffled order, over and over, and times each call with
/// the monotonic clock; the scraping thread calls `registry.collect()` in a loop for as long
/// as the recording thread runs. A scrape that holds the family's lock for long shows in the
/// tail: a lookup that arrives during it waits for it. Each round measures both ways, alone
/// first; the report gives every round and the median of each figure over the rounds.
enum LookupUnderScrape {
    /// Series in the family, one per label set.
    static let seriesCount = 10_000
    /// Timed calls per measurement.
    static let callsPerMeasurement = 4_000_000
    /// Calls timed together, for the cost of a call without the clock's own.
    static let batchCalls = 4_000_000
    /// A call this slow or slower counts as a stall: it waited for something, a lock or the scheduler.
    static let stallNanoseconds: UInt64 = 50_000

    /// The latency percentiles of one measurement, in nanoseconds, and the scrapes it overlapped.
    struct Measurement {
        let p50: UInt64
        let p99: UInt64
        let p999: UInt64
        let p9999: UInt64
        let max: UInt64
        /// Calls that took `stallNanoseconds` or longer.
        let stalls: Int
        let scrapes: Int
        let scrapeMilliseconds: Double
    }

    /// Runs `rounds` rounds and prints each one and the medians.
    static func run(rounds: Int) throws {
        let registry = Registry()
        let family = try registry.makeCounterFamily(name: "requests", help: "Requests served.", labelNames: ["method", "path", "status"])
        let labelSets = makeLabelSets()
        for labels in labelSets { try family.labels(labels.0, labels.1, labels.2).inc() }

        var alone: [Measurement] = []
        var scraped: [Measurement] = []
        var batches: [Double] = []
        for round in 1...rounds {
            batches.append(try batchNanoseconds(family, labelSets))
            alone.append(try measure(family, labelSets, scraping: nil))
            scraped.append(try measure(family, labelSets, scraping: registry))
            Swift.print("round \(round): lookup + inc timed in a batch \(format(batches.last!)) ns/call; "
                + "alone \(describe(alone.last!)); while scraping \(describe(scraped.last!))")
        }
        Swift.print("""

            Lookup by 3 label values + increment on a family of \(grouped(seriesCount)) counter series, \
            \(grouped(callsPerMeasurement)) timed calls per measurement, median of \(rounds) rounds \
            (ns per call, the clock's own cost included; the batch row times \(grouped(batchCalls)) calls together):

            """)
        let batch = median(batches)
        Swift.print(markdownTable(
            header: ["measurement", "p50", "p99", "p999", "p99.99", "max", "calls ≥ 50 µs", "scrapes", "ms per scrape"],
            rows: [
                ["alone, timed in a batch", format(batch), "—", "—", "—", "—", "—", "—", "—"],
                row("alone", alone),
                row("while another thread scrapes", scraped),
            ]))
    }

    /// 4 methods × 250 paths × 10 statuses, shuffled with a fixed seed.
    private static func makeLabelSets() -> [(String, String, String)] {
        let methods = ["GET", "POST", "PUT", "DELETE"]
        let statuses = ["200", "201", "204", "301", "304", "400", "403", "404", "500", "503"]
        var sets: [(String, String, String)] = []
        for method in methods {
            for path in 0..<250 {
                for status in statuses { sets.append((method, "/api/v1/resource/\(path)", status)) }
            }
        }
        var generator = SplitMix(seed: 42)
        sets.shuffle(using: &generator)
        return sets
    }

    /// Nanoseconds per call for `batchCalls` calls timed together, with no scraper.
    private static func batchNanoseconds(_ family: MetricFamily<Counter>, _ labelSets: [(String, String, String)]) throws -> Double {
        let start = now()
        var index = 0
        for _ in 0..<batchCalls {
            let labels = labelSets[index]
            try family.labels(labels.0, labels.1, labels.2).inc()
            index = index + 1 == labelSets.count ? 0 : index + 1
        }
        return Double(now() - start) / Double(batchCalls)
    }

    /// Times every call, with a scraping thread running throughout when `registry` is given.
    private static func measure(_ family: MetricFamily<Counter>, _ labelSets: [(String, String, String)], scraping registry: Registry?) throws -> Measurement {
        let scraper = registry.map(Scraper.init)
        scraper?.start()
        var latencies = [UInt64](repeating: 0, count: callsPerMeasurement)
        var index = 0
        try latencies.withUnsafeMutableBufferPointer { latencies in
            for call in 0..<latencies.count {
                let labels = labelSets[index]
                let start = now()
                try family.labels(labels.0, labels.1, labels.2).inc()
                latencies[call] = now() - start
                index = index + 1 == labelSets.count ? 0 : index + 1
            }
        }
        let (scrapes, seconds) = scraper?.stop() ?? (0, 0)
        latencies.sort()
        func percentile(_ fraction: Double) -> UInt64 {
            latencies[min(latencies.count - 1, Int(Double(latencies.count) * fraction))]
        }
        return Measurement(
            p50: percentile(0.5), p99: percentile(0.99), p999: percentile(0.999), p9999: percentile(0.9999), max: latencies.last!,
            stalls: latencies.count - (latencies.firstIndex { $0 >= stallNanoseconds } ?? latencies.count),
            scrapes: scrapes, scrapeMilliseconds: scrapes == 0 ? 0 : seconds * 1000 / Double(scrapes))
    }

    /// A thread calling `registry.collect()` until stopped.
    private final class Scraper: Sendable {
        let registry: Registry
        let stopping = Atomic<Bool>(false)
        let scrapes = Atomic<Int>(0)
        let finished = Atomic<UInt64>(0)
        let started = Atomic<UInt64>(0)

        init(_ registry: Registry) {
            self.registry = registry
        }

        /// Starts the thread and returns once its first scrape is done.
        func start() {
            let thread = Thread { [self] in
                started.store(now(), ordering: .relaxed)
                while !stopping.load(ordering: .relaxed) {
                    _ = registry.collect()
                    scrapes.wrappingAdd(1, ordering: .relaxed)
                }
                finished.store(now(), ordering: .releasing)
            }
            thread.start()
            while scrapes.load(ordering: .relaxed) == 0 { sched_yield() }
        }

        /// Stops the thread; returns the scrapes it did and the seconds it ran.
        func stop() -> (Int, Double) {
            stopping.store(true, ordering: .relaxed)
            while finished.load(ordering: .acquiring) == 0 { sched_yield() }
            return (scrapes.load(ordering: .relaxed), Double(finished.load(ordering: .relaxed) - started.load(ordering: .relaxed)) / 1e9)
        }
    }

    private static func row(_ name: String, _ measurements: [Measurement]) -> [String] {
        func medianOf(_ figure: (Measurement) -> UInt64) -> String { grouped(Int(median(measurements.map { Double(figure($0)) }))) }
        let scrapes = median(measurements.map { Double($0.scrapes) })
        return [
            name, medianOf(\.p50), medianOf(\.p99), medianOf(\.p999), medianOf(\.p9999), medianOf(\.max),
            grouped(Int(median(measurements.map { Double($0.stalls) }))),
            scrapes == 0 ? "—" : grouped(Int(scrapes)),
            scrapes == 0 ? "—" : format(median(measurements.map(\.scrapeMilliseconds)), digits: 2),
        ]
    }

    private static func describe(_ measurement: Measurement) -> String {
        var text = "p50 \(measurement.p50), p99 \(measurement.p99), p999 \(measurement.p999), p99.99 \(grouped(Int(measurement.p9999))), "
            + "max \(grouped(Int(measurement.max))) ns, \(measurement.stalls) calls ≥ 50 µs"
        if measurement.scrapes > 0 {
            text += " (\(measurement.scrapes) scrapes, \(format(measurement.scrapeMilliseconds, digits: 2)) ms each)"
        }
        return text
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private static func format(_ value: Double, digits: Int = 1) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// A small seeded generator, so every run shuffles the label sets the same way.
    private struct SplitMix: RandomNumberGenerator {
        var state: UInt64

        init(seed: UInt64) {
            state = seed
        }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }
}

/// The monotonic clock, in nanoseconds.
@inline(__always)
private func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}
