import Synchronization

import Platform

/// Where the engine reads the time: seconds since the Unix epoch.
///
/// Summaries use it to slide their window, gauges to `setToCurrentTime()`, series to
/// stamp their creation time. Tests and lesson demos inject a `ManualClock` so a
/// ten-minute window can be shown in a millisecond, without sleeping.
public protocol MetricsClock: Sendable {
    /// The current time in seconds since 1970-01-01T00:00:00Z.
    func now() -> Double
}

/// The real wall clock (`CLOCK_REALTIME`).
public struct WallClock: MetricsClock {
    public init() {}

    public func now() -> Double {
        SystemClock.wallSeconds()
    }
}

/// A clock that moves only when told to; safe to read and advance from any thread.
public final class ManualClock: MetricsClock {
    private let secondsBits: Atomic<UInt64>

    /// Creates a clock standing at `seconds` since the epoch.
    public init(_ seconds: Double = 0) {
        secondsBits = Atomic(seconds.bitPattern)
    }

    public func now() -> Double {
        Double(bitPattern: secondsBits.load(ordering: .acquiring))
    }

    /// Moves the clock forward (or back, for a negative amount).
    public func advance(by seconds: Double) {
        set(to: now() + seconds)
    }

    /// Puts the clock at `seconds` since the epoch.
    public func set(to seconds: Double) {
        secondsBits.store(seconds.bitPattern, ordering: .releasing)
    }
}
