import Lesson02CountersVsGauges
import WorkbookKit

/// Says whether `signal` should be exposed as a counter or as a gauge.
///
/// The rule, exactly:
/// - A **counter** is a running total since the process started: of events (requests,
///   errors, connections accepted) or of amounts added event by event (bytes sent, seconds
///   of CPU used). Its value falls only when the process restarts and starts again from 0.
///   In `Signal`, these are the cases whose doc comment counts something "since the service
///   started" (or "since it started").
/// - Everything else is a **gauge**: a reading of the present, which may go up and down.
///   That includes a value that only ever moves forward but counts nothing: the time of
///   the last backup only grows, yet it is a point in time, not a total, so it is a gauge.
///   Only going up never makes a counter; being a running total does.
///
/// Why it matters: `rate()` and `increase()` read every fall of a counter as a restart, so a
/// value that can fall while the process runs would give them growth that never happened.
///
///     try metricKind(for: .requestsServed) == .counter   // every answered request adds one
///     try metricKind(for: .temperature) == .gauge        // a reading, warmer or cooler each time
///     try metricKind(for: .lastBackupTime) == .gauge     // only moves forward, counts nothing
///
/// Each case of `Signal` (in Signal.swift) says what it measures. Answer with a `switch`
/// over `signal` that lists every case, so the compiler tells you when you missed one.
/// The answer depends on the signal alone, however often and in whatever order it is asked.
///
/// Check your work with `swift run lesson check 2`.
func metricKind(for signal: Signal) throws -> MetricKind {
    // TODO: return .counter or .gauge for each signal, then delete the next line.
    throw NotAttemptedYet()
}
