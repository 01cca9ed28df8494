import Foundation
import Platform
import Instrumentation
import TimeSeries
import PromQL
import WorkbookKit

/// The narrated demo of lesson 6: two instances of one service, their latency histograms
/// scraped into a store, and quantiles estimated with `histogram_quantile`, per instance
/// and across both, next to the exact quantiles of the raw observations.
enum HistogramQuantilesDemo {
    /// The two instances of the demo's `checkout` service, named by their `instance` label.
    enum Instance: String, CaseIterable {
        /// Answers in about 40 ms; 1% of requests are slow.
        case faster = "a:8080"
        /// Answers in about 100 ms, with a longer tail: 4% of requests are slow.
        case slower = "b:8080"
    }

    /// The latency histogram's bucket upper bounds, in seconds; `+Inf` is added by the engine.
    static let bounds: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5]
    /// The window the queries look back over, as in `rate(…[5m])`.
    private static let window = 300
    /// The time the demo starts, in seconds since the epoch.
    private static let start = 1_700_000_000

    /// The request latency histogram. Asking the registry again with this same definition
    /// returns the same histogram, which is how `simulate` finds it.
    static func latencyHistogram(in registry: Registry) throws -> Histogram {
        try registry.makeHistogram(
            name: "http_request_duration_seconds", help: "Time taken to answer an HTTP request.", buckets: bounds, unit: "seconds")
    }

    /// One request's latency in seconds on `instance`.
    static func latency(of instance: Instance, _ random: inout SeededRandom) -> Double {
        switch instance {
        case .faster:
            if random.next(below: 100) < 1 { return 0.3 + 0.5 * random.exponential() }
            return 0.015 + 0.03 * random.exponential()
        case .slower:
            if random.next(below: 100) < 4 { return 0.6 + 1.2 * random.exponential() }
            return 0.03 + 0.08 * random.exponential()
        }
    }

    /// Runs the demo and returns instance b's registry, the one `lesson serve 6` exposes.
    static func run(_ narrator: Narrator) throws -> Registry {
        let clock = ManualClock(Double(start))
        let registries = Dictionary(uniqueKeysWithValues: Instance.allCases.map { ($0, Registry(clock: clock)) })
        let traffic = try runTraffic(registries, clock: clock)
        let engine = PromQLEngine(store: traffic.store)
        let now = milliseconds(start + 2 * window)
        showTheInstances(traffic, narrator)
        try showPerInstanceQuantiles(traffic, engine, at: now, narrator)
        try showAggregatedQuantiles(traffic, engine, at: now, narrator)
        return registries[.slower]!
    }

    /// Keeps instance b's histogram moving while `lesson serve 6` exposes it: 4 to 7 requests a second.
    static func simulate(_ registry: Registry, tick: Int) throws {
        var random = SeededRandom(seed: 0x0600_0000 &+ UInt64(truncatingIfNeeded: tick))
        let histogram = try latencyHistogram(in: registry)
        for _ in 0..<(4 + random.next(below: 4)) { histogram.observe(latency(of: .slower, &random)) }
    }

    // MARK: Traffic

    /// What ten minutes of traffic left behind: the store every scrape went into, and per instance
    /// the raw latencies of the last five minutes and the bucket counts they added.
    private struct Traffic {
        /// Every scrape of both instances, labelled with `job` and `instance`.
        let store: SeriesStore
        /// Each instance's raw latencies of the last five minutes, for the exact quantiles.
        var recentLatencies: [Instance: [Double]] = [:]
        /// What each instance's buckets gained in the last five minutes.
        var recentCounts: [Instance: HistogramSnapshot] = [:]
    }

    /// Ten minutes of requests to both instances (a gets 8 a second, b gets 4), scraped every 15 seconds.
    private static func runTraffic(_ registries: [Instance: Registry], clock: ManualClock) throws -> Traffic {
        var traffic = Traffic(store: SeriesStore())
        var random = SeededRandom(seed: 6)
        var atWindowStart: [Instance: HistogramSnapshot] = [:]
        for second in 0...(2 * window) {
            clock.set(to: Double(start + second))
            for instance in Instance.allCases where second > 0 {
                let histogram = try latencyHistogram(in: registries[instance]!)
                for _ in 0..<(instance == .faster ? 8 : 4) {
                    let seconds = latency(of: instance, &random)
                    histogram.observe(seconds)
                    // Keep the raw values of the last five minutes, to compare with the estimates.
                    if second > window { traffic.recentLatencies[instance, default: []].append(seconds) }
                }
            }
            guard second % 15 == 0 else { continue }
            // A scrape: every series of the instance, stamped with the time, labelled with job and instance.
            for instance in Instance.allCases {
                let registry = registries[instance]!
                traffic.store.ingest(registry.collect(), at: milliseconds(start + second), labels: ["job": "checkout", "instance": instance.rawValue])
                if second == window { atWindowStart[instance] = try latencyHistogram(in: registry).snapshot }
            }
        }
        for instance in Instance.allCases {
            let now = try latencyHistogram(in: registries[instance]!).snapshot
            traffic.recentCounts[instance] = difference(now, atWindowStart[instance]!)
        }
        return traffic
    }

    // MARK: The sections

    /// Shows each instance's buckets over the last five minutes.
    private static func showTheInstances(_ traffic: Traffic, _ narrator: Narrator) {
        narrator.heading("Two instances, one histogram each")
        narrator.say("""
            The checkout service runs as two instances. a answers most requests in under 50 ms; b takes \
            about 90 ms, and 4% of its requests take over half a second. Each counts its latencies into the \
            buckets \(bounds.map { formatSampleValue($0, for: .prometheus) }.joined(separator: ", ")) and +Inf. Ten minutes of traffic, \
            scraped every 15 seconds. What each instance's buckets gained in the last five minutes:
            """)
        for instance in Instance.allCases {
            narrator.say("instance=\"\(instance.rawValue)\"")
            narrator.show(TerminalChart.bucketLadder(traffic.recentCounts[instance]!, width: 30))
        }
    }

    /// Evaluates `histogram_quantile` per instance and sets each estimate beside the exact quantile.
    private static func showPerInstanceQuantiles(_ traffic: Traffic, _ engine: PromQLEngine, at time: Int64, _ narrator: Narrator) throws {
        narrator.heading("histogram_quantile, per instance")
        let query = "histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[5m]))"
        narrator.say("The 90th percentile of each instance over the last five minutes:")
        narrator.show("> " + query + "\n" + describe(try engine.evaluate(query, at: time)))
        explainTheInterpolation(traffic.recentCounts[.faster]!, quantile: 0.9, narrator)
        narrator.say("Each estimate beside the exact quantile of the same five minutes of raw latencies:")
        var rows = [tableHeader]
        for instance in Instance.allCases {
            for q in [0.5, 0.9, 0.99] {
                let estimate = try single(engine.evaluate(
                    "histogram_quantile(\(q), rate(http_request_duration_seconds_bucket{instance=\"\(instance.rawValue)\"}[5m]))", at: time))
                rows.append(tableRow(instance.rawValue, q, exact: exactQuantile(q, of: traffic.recentLatencies[instance]!), estimate: estimate))
            }
        }
        narrator.show(rows.joined(separator: "\n"))
        narrator.say("""
            Unless the rank falls in +Inf, the estimate lands in the same bucket as the exact value, \
            so the error is never larger than that bucket's width. Where the bucket is narrow the \
            estimate is close; where the quantile falls in a wide bucket, like b's 99th percentile, \
            it can be far off. The histogram keeps counts, not values: nothing in it says where \
            inside a bucket the values were.
            """)
    }

    /// Works one estimate through by hand: the rank, the bucket it falls in, the interpolation.
    private static func explainTheInterpolation(_ counts: HistogramSnapshot, quantile q: Double, _ narrator: Narrator) {
        let rank = q * Double(counts.count)
        guard let index = counts.cumulativeCounts.dropLast().firstIndex(where: { Double($0) >= rank }), index > 0 else { return }
        let below = counts.cumulativeCounts[index - 1], reached = counts.cumulativeCounts[index]
        let lower = counts.upperBounds[index - 1], upper = counts.upperBounds[index]
        let estimate = lower + (upper - lower) * (rank - Double(below)) / Double(reached - below)
        narrator.say("""
            How a:8080's answer comes about, with the counts of the five minutes (rate divides them \
            all by 300 seconds, which changes nothing here): \(counts.count) requests, so the 0.9 rank is \
            \(shown(rank)). le="\(shown(lower))" holds \(below) and le="\(shown(upper))" holds \(reached), so the rank lies \
            \(shown(rank - Double(below))) requests into the \(reached - below) between \(shown(lower)) and \(shown(upper)). Taking those as spread \
            evenly: \(shown(lower)) + \(shown(upper - lower)) × \(shown(rank - Double(below)))/\(reached - below) = \(shown(estimate)).
            """)
    }

    /// Aggregates both instances' buckets with `sum by (le)`, and shows why averaging quantiles is wrong.
    private static func showAggregatedQuantiles(_ traffic: Traffic, _ engine: PromQLEngine, at time: Int64, _ narrator: Narrator) throws {
        narrator.heading("Aggregating across instances")
        let query = "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))"
        narrator.say("Add the instances' buckets bound by bound, then estimate: the 90th percentile of the whole service.")
        narrator.show("> " + query + "\n" + describe(try engine.evaluate(query, at: time)))
        let all = Instance.allCases.flatMap { traffic.recentLatencies[$0]! }
        var rows = [tableHeader]
        for q in [0.5, 0.9, 0.99] {
            let estimate = try single(engine.evaluate(
                "histogram_quantile(\(q), sum by (le) (rate(http_request_duration_seconds_bucket[5m])))", at: time))
            rows.append(tableRow("both", q, exact: exactQuantile(q, of: all), estimate: estimate))
        }
        narrator.show(rows.joined(separator: "\n"))
        let exactPerInstance = Instance.allCases.map { exactQuantile(0.9, of: traffic.recentLatencies[$0]!) }
        let averaged = exactPerInstance.reduce(0, +) / Double(exactPerInstance.count)
        narrator.say("""
            This works because buckets are counters with the same bounds on every instance: adding \
            them gives the buckets the whole service would have had. A summary offers no such thing. \
            Each instance would expose its own exact 90th percentile (here \(shown(exactPerInstance[0])) and \(shown(exactPerInstance[1]))), and \
            their average, \(shown(averaged)), is not the service's 90th percentile, \(shown(exactQuantile(0.9, of: all))). No arithmetic on \
            two quantiles gives the quantile of the combined requests.
            """)
        let withoutLe = "histogram_quantile(0.9, sum(rate(http_request_duration_seconds_bucket[5m])))"
        narrator.say("Leave le out of the by clause and the buckets are summed into one number:")
        narrator.show("> " + withoutLe + "\n" + describe(try engine.evaluate(withoutLe, at: time)))
        narrator.say("No le label, no buckets, no answer. Keep le in every aggregation that feeds histogram_quantile.")
    }

    // MARK: Arithmetic and formatting

    /// The exact `q` quantile by the nearest-rank method: the smallest value with at least a
    /// fraction `q` of all values at or below it. Only possible with every raw value at hand.
    static func exactQuantile(_ q: Double, of values: [Double]) -> Double {
        let sorted = values.sorted()
        let rank = max(Int((q * Double(sorted.count)).rounded(.up)), 1)
        return sorted[rank - 1]
    }

    /// The bucket counts `now` has gained since `earlier`: what `increase` reads over a window.
    private static func difference(_ now: HistogramSnapshot, _ earlier: HistogramSnapshot) -> HistogramSnapshot {
        HistogramSnapshot(
            upperBounds: now.upperBounds, cumulativeCounts: zip(now.cumulativeCounts, earlier.cumulativeCounts).map { $0 - $1 },
            sum: now.sum - earlier.sum)
    }

    /// The header of the comparison table, aligned with `tableRow`.
    private static let tableHeader = "instance q         exact   estimate     error   bucket         width"

    /// One row of the comparison: exact, estimate, their difference, and the bucket the estimate fell in.
    private static func tableRow(_ instance: String, _ q: Double, exact: Double, estimate: Double) -> String {
        let index = bounds.firstIndex { estimate <= $0 } ?? bounds.count - 1
        let lower = index == 0 ? 0 : bounds[index - 1]
        let bucket = "(\(shown(lower)), \(shown(bounds[index]))]"
        return String(
            format: "%@ %@ %9.4f %10.4f %+9.4f   %@ %@", instance.padding(to: 8), shown(q).padding(to: 5), exact, estimate,
            estimate - exact, bucket.padding(to: 13), shown(bounds[index] - lower).leftPadding(to: 5))
    }

    /// The value of a one-element instant vector.
    private static func single(_ value: PromQLValue) throws -> Double {
        guard case .vector(let elements) = value, elements.count == 1 else {
            throw PromQLError(message: "expected one series, got \(value)")
        }
        return elements[0].value
    }

    /// A query's answer, one series per line, as the Prometheus console lists it.
    private static func describe(_ value: PromQLValue) -> String {
        guard case .vector(let elements) = value else { return "\(value)" }
        if elements.isEmpty { return "(empty: no series)" }
        return elements.map { "\($0.labels)  \(shown($0.value))" }.joined(separator: "\n")
    }

    /// A number rounded to 4 decimal places, written as the exposition writes numbers.
    private static func shown(_ value: Double) -> String {
        formatSampleValue((value * 10_000).rounded() / 10_000, for: .prometheus)
    }

    /// Seconds since the epoch as milliseconds, the store's time unit.
    private static func milliseconds(_ seconds: Int) -> Int64 {
        Int64(seconds) * 1000
    }
}

extension String {
    /// The text followed by spaces up to `width` characters.
    fileprivate func padding(to width: Int) -> String {
        self + String(repeating: " ", count: max(width - count, 0))
    }

    /// The text preceded by spaces up to `width` characters.
    fileprivate func leftPadding(to width: Int) -> String {
        String(repeating: " ", count: max(width - count, 0)) + self
    }
}
