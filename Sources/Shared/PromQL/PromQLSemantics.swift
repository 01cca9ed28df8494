/// Which Prometheus's rules a query is evaluated by.
///
/// Prometheus 3 (the default) and Prometheus 2 differ in what a learner can see:
///
/// - A range `x[5m]` at time t holds the samples in (t − 5m, t] in Prometheus 3, left-open,
///   and [t − 5m, t] in Prometheus 2; the 5-minute lookback of an instant selector and a
///   subquery's first step follow the same rule. (Prometheus 3.0 migration guide, "PromQL".)
/// - `rate` and `increase` extrapolate to the window's edges unless the first or last sample
///   is more than 1.1 average intervals away from them. Prometheus 2.52 and later (so 3.x)
///   test that threshold first and then stop the extrapolation at the counter's zero point;
///   up to 2.51 the zero point was applied first. (CHANGELOG 2.52.0, #13725.)
/// - `.` in a regular expression matches a line feed in Prometheus 3 (CHANGELOG 3.0.0, #14505).
/// - Numbers and durations are interchangeable in Prometheus 3 (`x[300]`, `5m` as 300) (CHANGELOG 3.0.0, #15111).
/// - `holt_winters` is `double_exponential_smoothing` in Prometheus 3 (CHANGELOG 3.0.0, #14930).
/// - `atan2` drops the metric name like the other arithmetic operators, and `stddev`/`stdvar`
///   of a lone NaN or infinity are NaN, not 0 (Prometheus 3.14's PromQL test data,
///   operators.test and aggregators.test).
/// - `histogram_fraction` reads classic `_bucket` series in Prometheus 3 (CHANGELOG 3.4.0, #16095).
/// - Ranges, subquery steps and offsets may be duration expressions in Prometheus 3:
///   `x[5m+1m]`, `x offset (1h/2)`, `x[step()]` (on by default since 3.14.0, #19033).
/// - A comparison whose one-to-one or group_left match is ambiguous fails even when the
///   comparison would drop the pairs (CHANGELOG 3.9.0, #17668).
public enum PromQLSemantics: String, Sendable, CaseIterable {
    case prometheus2 = "2"
    case prometheus3 = "3"

    /// Whether ranges and the lookback leave out a sample exactly at their start.
    var leftOpen: Bool { self == .prometheus3 }

    /// The latest time a query may name, in milliseconds: what Prometheus's timestamps allow
    /// (about the year 292 million, in milliseconds), kept far from overflow.
    static let latestTimeMilliseconds: Double = 9.2e15
}
