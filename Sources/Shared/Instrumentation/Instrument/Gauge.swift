import Synchronization

/// A value that can go up and down: a measurement at the moment of the scrape.
///
/// Use a gauge for current state: queue length, temperature, memory in use,
/// in-flight requests, the time of the last successful run. Do not use one to count
/// events: a gauge of "requests so far" loses increments between scrapes on restart
/// and cannot be `rate()`d correctly; that is a `Counter`. Query a gauge directly
/// (`queue_length`), or over time with `avg_over_time(queue_length[5m])`,
/// `max_over_time`, `delta` or `deriv`. Any value is allowed, including infinities and NaN.
/// See https://prometheus.io/docs/concepts/metric_types/#gauge
public final class Gauge: Sendable {
    // Inlined into the caller (`@inlinable`): a set is then one store, with no call around it.
    @usableFromInline let bits = Atomic<UInt64>(0.0.bitPattern)
    private let clock: any MetricsClock

    init(clock: any MetricsClock) {
        self.clock = clock
    }

    /// Sets the gauge to `value`.
    @inlinable @inline(__always)
    public func set(_ value: Double) {
        bits.storeDouble(value)
    }

    /// Adds `amount` (which may be negative).
    @inlinable @inline(__always)
    public func add(_ amount: Double) {
        bits.addDouble(amount)
    }

    /// Adds one.
    public func inc() { add(1) }

    /// Subtracts one.
    public func dec() { add(-1) }

    /// Sets the gauge to the current time in seconds since the epoch, from the registry's clock.
    ///
    /// The usual way to publish "when did this last happen": `time() - last_success_time_seconds`
    /// in PromQL is then the age in seconds.
    public func setToCurrentTime() {
        set(clock.now())
    }

    /// The current value.
    public var value: Double {
        bits.loadDouble()
    }
}
