/// The two system clocks the workbook reads.
public enum SystemClock {
    /// Seconds on the monotonic clock, which never jumps: timeouts must not fire early, or
    /// never, because someone set the wall clock. Only differences between readings mean anything.
    public static func monotonicSeconds() -> Double {
        read(CLOCK_MONOTONIC)
    }

    /// Seconds since 1970-01-01T00:00:00Z on the wall clock (`CLOCK_REALTIME`), which can jump.
    public static func wallSeconds() -> Double {
        read(CLOCK_REALTIME)
    }

    private static func read(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
