import Platform

/// A clock for measuring durations: seconds since an arbitrary moment, never jumping.
///
/// The wall clock can jump (NTP corrections, someone setting the date), and a request
/// timed across a jump would get a negative or huge duration. Time request latencies
/// with this one; stamp events with `WallClock`. Its `now()` means nothing on its own,
/// only differences between two readings do.
public struct MonotonicClock: MetricsClock {
    public init() {}

    public func now() -> Double {
        SystemClock.monotonicSeconds()
    }
}
