import TimeSeries

/// The boundaries of a range selector's window, for extrapolation.
struct RangeWindow {
    /// Milliseconds since the epoch.
    let start: Int64
    let end: Int64
    let rangeSeconds: Double
}

/// The functions that turn each series' samples over a range into one value.
enum RangeFunctions {
    /// The function's value for one series, or nil when it has too few samples (the series is dropped).
    static func apply(_ function: PromQLFunction, _ samples: [StoredSample], _ window: RangeWindow) -> Double? {
        switch function {
        case .rate: extrapolatedDelta(samples, window, isCounter: true, isRate: true)
        case .increase: extrapolatedDelta(samples, window, isCounter: true, isRate: false)
        case .delta: extrapolatedDelta(samples, window, isCounter: false, isRate: false)
        case .irate: instantRate(samples)
        case .avgOverTime: average(samples)
        case .maxOverTime: samples.dropFirst().reduce(samples[0].value) { $0 < $1.value || $0.isNaN ? $1.value : $0 }
        case .minOverTime: samples.dropFirst().reduce(samples[0].value) { $0 > $1.value || $0.isNaN ? $1.value : $0 }
        case .sumOverTime: samples.reduce(0) { $0 + $1.value }
        case .countOverTime: Double(samples.count)
        default: nil
        }
    }

    /// `rate`, `increase` and `delta`: the change over the samples, corrected for counter
    /// resets and extrapolated towards the window's edges.
    ///
    /// A counter that drops is taken to have restarted from zero, so the value before the
    /// drop is added back. The first and last samples rarely sit exactly on the window's
    /// edges, so the change is scaled up to cover the gaps, but only by about half a
    /// sampling interval where a series seems to start or end inside the window, and never
    /// so far back that a counter would go below zero.
    static func extrapolatedDelta(_ samples: [StoredSample], _ window: RangeWindow, isCounter: Bool, isRate: Bool) -> Double? {
        guard samples.count >= 2, let first = samples.first, let last = samples.last else { return nil }
        var change = last.value - first.value
        if isCounter {
            var previous = first.value
            for sample in samples.dropFirst() {
                if sample.value < previous { change += previous }
                previous = sample.value
            }
        }
        var durationToStart = Double(first.timestamp - window.start) / 1000
        let durationToEnd = Double(window.end - last.timestamp) / 1000
        let sampledInterval = Double(last.timestamp - first.timestamp) / 1000
        let averageInterval = sampledInterval / Double(samples.count - 1)
        if isCounter, change > 0, first.value >= 0 {
            // Where the counter would reach zero if extrapolated backwards: start no earlier.
            let durationToZero = sampledInterval * (first.value / change)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        let threshold = averageInterval * 1.1
        var extrapolatedInterval = sampledInterval
        extrapolatedInterval += durationToStart < threshold ? durationToStart : averageInterval / 2
        extrapolatedInterval += durationToEnd < threshold ? durationToEnd : averageInterval / 2
        var factor = extrapolatedInterval / sampledInterval
        if isRate { factor /= window.rangeSeconds }
        return change * factor
    }

    /// `irate`: the per-second change between the last two samples (after a reset, the last value).
    private static func instantRate(_ samples: [StoredSample]) -> Double? {
        guard samples.count >= 2 else { return nil }
        let last = samples[samples.count - 1], previous = samples[samples.count - 2]
        let change = last.value < previous.value ? last.value : last.value - previous.value
        let seconds = Double(last.timestamp - previous.timestamp) / 1000
        guard seconds > 0 else { return nil }
        return change / seconds
    }

    /// `avg_over_time`: a running mean, as Prometheus computes it.
    private static func average(_ samples: [StoredSample]) -> Double {
        var mean = 0.0, count = 0.0
        for sample in samples {
            count += 1
            if mean.isInfinite {
                if sample.value.isInfinite, (mean > 0) == (sample.value > 0) { continue }
                if !sample.value.isInfinite, !sample.value.isNaN { continue }
            }
            mean += sample.value / count - mean / count
        }
        return mean
    }
}
