import Lesson02CountersVsGauges
import WorkbookKit

/// Says whether `signal` should be exposed as a counter or as a gauge.
///
/// A counter is a running total of things that happened (events, or amounts such as bytes
/// or seconds): it only goes up while the process runs and starts again from zero when the
/// process restarts. A gauge is a reading of the present, free to go up and down. Ask of
/// each signal: can its value fall while the process keeps running? If it can, a counter
/// would be wrong, because `rate()` reads every fall of a counter as a restart.
///
///     try metricKind(for: .requestsServed) == .counter   // every answered request adds one
///     try metricKind(for: .temperature) == .gauge        // a reading, warmer or cooler each time
///
/// Each case of `Signal` (in Signal.swift) says what it measures. Answer with a `switch`
/// over `signal` that lists every case, so the compiler tells you when you missed one.
///
/// Check your work with `swift run lesson check 2`.
func metricKind(for signal: Signal) throws -> MetricKind {
    // TODO: return .counter or .gauge for each signal, then delete the next line.
    throw NotAttemptedYet()
}
