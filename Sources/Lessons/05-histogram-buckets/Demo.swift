import Foundation
import Platform
import Instrumentation
import WorkbookKit

/// The narrated demo of lesson 5: observations counted into cumulative buckets, the
/// series a scrape sees, and how the choice of bounds decides what a histogram can tell.
enum HistogramBucketsDemo {
    /// The latency histogram's bucket upper bounds, in seconds; `+Inf` is added by the engine.
    static let latencyBounds: [Double] = [0.05, 0.1, 0.25, 0.5, 1]

    /// The request latency histogram. Asking the registry again with this same definition
    /// returns the same histogram, which is how `simulate` finds it.
    static func latencyHistogram(in registry: Registry) throws -> Histogram {
        try registry.makeHistogram(
            name: "http_request_duration_seconds", help: "Time taken to answer an HTTP request.",
            buckets: latencyBounds, unit: "seconds")
    }

    /// The response size histogram: sizes span orders of magnitude, so each bound is 4 times
    /// the one before (256 B, 1 KiB, 4 KiB … 256 KiB).
    static func responseSizeHistogram(in registry: Registry) throws -> Histogram {
        try registry.makeHistogram(
            name: "http_response_size_bytes", help: "Size of HTTP response bodies.",
            buckets: try Buckets.exponential(start: 256, factor: 4, count: 6), unit: "bytes")
    }

    /// One request's latency in seconds: about 60 ms typically, with a slow tail (3% take 0.5 s or more).
    static func requestLatency(_ random: inout SeededRandom) -> Double {
        if random.next(below: 100) < 3 { return 0.5 + 1.5 * random.exponential() }
        return 0.02 + 0.06 * random.exponential()
    }

    /// One response body's size in bytes, spread evenly over the orders of magnitude from 200 B to 400 kB.
    static func responseSize(_ random: inout SeededRandom) -> Double {
        (200 * pow(2000, random.unit())).rounded()
    }

    /// Runs the demo and returns its registry: the latency and response size histograms.
    static func run(_ narrator: Narrator) throws -> Registry {
        // A manual clock keeps the output the same on every run.
        let registry = Registry(clock: ManualClock(1_700_000_000))
        let latency = try latencyHistogram(in: registry)
        showBucketsFilling(latency, narrator)
        showTheInclusiveBound(latency, narrator)
        showTheExposition(registry, narrator)
        try showChoosingBounds(narrator)
        try showExponentialBounds(registry, narrator)
        return registry
    }

    /// Keeps both histograms moving while `lesson serve 5` exposes them: 15 to 24 requests a second.
    static func simulate(_ registry: Registry, tick: Int) throws {
        var random = SeededRandom(seed: 0x0500_0000 &+ UInt64(truncatingIfNeeded: tick))
        let latency = try latencyHistogram(in: registry)
        let sizes = try responseSizeHistogram(in: registry)
        for _ in 0..<(15 + random.next(below: 10)) {
            latency.observe(requestLatency(&random))
            sizes.observe(responseSize(&random))
        }
    }

    // MARK: The sections

    /// Observes eight latencies one at a time and shows every bucket's count after each.
    private static func showBucketsFilling(_ latency: Histogram, _ narrator: Narrator) {
        narrator.heading("Observations fill cumulative buckets")
        narrator.say("""
            A histogram with the bounds 0.05, 0.1, 0.25, 0.5 and 1 second, and the +Inf bucket the \
            engine always adds. Each row is one observe(seconds) call and every bucket's count after it:
            """)
        var rows = [countsHeader(latency.upperBounds)]
        // Three ladders side by side in the narrator's width: each takes an 11-column label,
        // its bars, the count and 3 columns of gap, beside the 4 columns of the block's margin.
        let ladderWidth = max(4, (narrator.width - 4) / 3 - 11 - 2 - 3)
        var ladders: [(caption: String, ladder: String)] = []
        for (index, seconds) in [0.042, 0.12, 0.087, 0.3, 0.75, 1.8, 0.031, 0.2].enumerated() {
            latency.observe(seconds)
            rows.append(countsRow(observed: seconds, latency.snapshot))
            if [2, 5, 8].contains(index + 1) {
                ladders.append(("after \(index + 1) observations", TerminalChart.bucketLadder(latency.snapshot, width: ladderWidth)))
            }
        }
        narrator.show(rows.joined(separator: "\n"))
        narrator.say("""
            An observation adds 1 to the first bucket whose bound it does not exceed, and to every \
            bucket above it: each le="x" counts the observations at or below x. So the counts never \
            fall from left to right, and +Inf counts everything. 1.8 s is above the last bound, so it \
            shows up only in +Inf. The same histogram as a ladder, filling up:
            """)
        narrator.show(sideBySide(ladders))
    }

    /// Shows that a value exactly on a bound counts in that bucket, and a hair above it in the next.
    private static func showTheInclusiveBound(_ latency: Histogram, _ narrator: Narrator) {
        narrator.heading("le means less than or equal")
        for seconds in [0.25, 0.2501] {
            let before = latency.snapshot
            latency.observe(seconds)
            let after = latency.snapshot
            narrator.say("observe(\(formatSampleValue(seconds, for: .prometheus))):")
            narrator.show(bucketChanges(from: before, to: after, around: 0.25))
        }
        narrator.say("""
            0.25 is counted in le="0.25", because the bound is inclusive: 0.25 <= 0.25. A value a \
            tenth of a millisecond above it goes to the next bucket, le="0.5". Put a bound exactly on a threshold \
            you care about (an SLO of 250 ms) and the bucket answers "how many were within it" exactly.
            """)
    }

    /// Prints the histogram's lines of the exposition and what `_count` and `_sum` tell.
    private static func showTheExposition(_ registry: Registry, _ narrator: Narrator) {
        narrator.heading("What a scrape sees")
        let text = ExpositionFormat.prometheus.render(registry.collect())
        let lines = text.split(separator: "\n").filter { $0.contains("http_request_duration_seconds") }
        narrator.show(lines.joined(separator: "\n"))
        guard let family = registry.collect().first(where: { $0.name == "http_request_duration_seconds" }),
            case .histogram(let histogram) = family.series.first?.value
        else { return }
        let average = histogram.sum / Double(histogram.count)
        narrator.say("""
            One histogram, \(histogram.cumulativeCounts.count + 2) series: a _bucket series per bound with its le label (the last is \
            le="+Inf"), then _sum and _count. _count (\(histogram.count)) always equals the +Inf bucket. _sum is the total of \
            all observed values, so _sum / _count is the average: \(formatSampleValue(rounded(average, places: 4), for: .prometheus)) s. Every one of these series \
            is a counter that only goes up, which is why PromQL reads them through rate().
            """)
    }

    /// Shows the three ways to make bounds, and the same traffic counted with a coarse and a fitted layout.
    private static func showChoosingBounds(_ narrator: Narrator) throws {
        narrator.heading("Choosing the bounds")
        let layouts: [(call: String, bounds: [Double])] = [
            ("Buckets.defaults", Buckets.defaults),
            ("Buckets.linear(start: 0.1, width: 0.1, count: 5)", try Buckets.linear(start: 0.1, width: 0.1, count: 5)),
            ("Buckets.exponential(start: 0.025, factor: 2, count: 7)", try Buckets.exponential(start: 0.025, factor: 2, count: 7)),
        ]
        // Each call over its bounds, so both fit the width of a terminal.
        narrator.show(layouts.map { layout in
            layout.call + "\n    " + layout.bounds.map { formatSampleValue($0, for: .prometheus) }.joined(separator: " ")
        }.joined(separator: "\n"))
        narrator.say("""
            The bounds are fixed when the histogram is made; they cannot change while it runs. Here are \
            1,000 requests of a service that usually answers in about 60 ms, counted twice: once with \
            bounds chosen for a slow batch job, once with Buckets.exponential(start: 0.025, factor: 2, count: 7).
            """)
        let scratch = Registry(clock: ManualClock(1_700_000_000))
        let coarse = try scratch.makeHistogram(name: "coarse_duration_seconds", help: "Coarse layout.", buckets: [1, 2.5, 5, 10])
        let fitted = try scratch.makeHistogram(
            name: "fitted_duration_seconds", help: "Fitted layout.", buckets: try Buckets.exponential(start: 0.025, factor: 2, count: 7))
        var random = SeededRandom(seed: 5)
        for _ in 0..<1000 {
            let seconds = requestLatency(&random)
            coarse.observe(seconds)
            fitted.observe(seconds)
        }
        narrator.show(sideBySide([
            ("bounds [1, 2.5, 5, 10]", TerminalChart.bucketLadder(coarse.snapshot, width: 16)),
            ("exponential from 0.025", TerminalChart.bucketLadder(fitted.snapshot, width: 16)),
        ]))
        narrator.say("""
            On the left almost every request sits in the first bucket: all the histogram can say is \
            "under a second". On the right the ladder climbs through the range where the requests \
            really are, so you can read off how many took under 50, 100 or 200 ms. Put the bounds where \
            your questions are (your latency target, your SLO threshold) and keep them few: every \
            bucket is one more series for every label set the histogram has.
            """)
    }

    /// Fills the response size histogram, whose bounds grow by a factor, and shows its ladder.
    private static func showExponentialBounds(_ registry: Registry, _ narrator: Narrator) throws {
        narrator.heading("Exponential bounds for sizes")
        let sizes = try responseSizeHistogram(in: registry)
        var random = SeededRandom(seed: 50)
        for _ in 0..<200 { sizes.observe(responseSize(&random)) }
        narrator.say("""
            Response sizes run from a few hundred bytes to hundreds of kilobytes. Linear bounds would \
            spend all their buckets on one end; with Buckets.exponential(start: 256, factor: 4, count: 6) \
            each bucket covers 4 times the range of the one before. 200 responses:
            """)
        narrator.show(TerminalChart.bucketLadder(sizes.snapshot))
    }

    // MARK: Formatting

    /// The header of the step table: one column per bucket, `le` values as in the exposition.
    private static func countsHeader(_ bounds: [Double]) -> String {
        let columns = (bounds + [.infinity]).map { "le=\"\(formatSampleValue($0, for: .prometheus))\"".leftPadding(to: 10) }
        return "observe(…)" + columns.joined()
    }

    /// One row of the step table: the value observed, then each bucket's cumulative count.
    private static func countsRow(observed seconds: Double, _ histogram: HistogramSnapshot) -> String {
        let columns = histogram.cumulativeCounts.map { String($0).leftPadding(to: 10) }
        return formatSampleValue(seconds, for: .prometheus).padding(to: 10) + columns.joined()
    }

    /// The buckets next to `bound`, each with its count before and after one observation.
    private static func bucketChanges(from before: HistogramSnapshot, to after: HistogramSnapshot, around bound: Double) -> String {
        let bounds = before.upperBounds + [.infinity]
        let center = bounds.firstIndex(of: bound) ?? 0
        return (max(center - 1, 0)...min(center + 1, bounds.count - 1)).map { index in
            let label = "le=\"\(formatSampleValue(bounds[index], for: .prometheus))\""
            let changed = after.cumulativeCounts[index] != before.cumulativeCounts[index]
            return label.padding(to: 11) + "\(before.cumulativeCounts[index]) → \(after.cumulativeCounts[index])" + (changed ? "   +1" : "")
        }.joined(separator: "\n")
    }

    /// Drawings placed next to each other, each under its caption.
    private static func sideBySide(_ panels: [(caption: String, ladder: String)]) -> String {
        let columns = panels.map { [$0.caption] + $0.ladder.split(separator: "\n").map(String.init) }
        let width = columns.flatMap { $0 }.map(\.count).max() ?? 0
        let height = columns.map(\.count).max() ?? 0
        return (0..<height).map { row in
            columns.map { column in (row < column.count ? column[row] : "").padding(to: width + 3) }.joined()
                .trimmingTrailingSpaces()
        }.joined(separator: "\n")
    }

    /// `value` rounded to `places` decimal places, for printing.
    private static func rounded(_ value: Double, places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
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

    /// The text without the spaces at its end.
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
