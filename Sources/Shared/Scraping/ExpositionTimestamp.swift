/// An exposition's timestamp in seconds (OpenMetrics samples and exemplars carry them so) as
/// the store's milliseconds, the way Prometheus's parser makes them: `int64(ts * 1000)` in Go,
/// cut toward zero, so `12.0019` is 12001, and so is `12.002` when its product falls just
/// short. Nil when the milliseconds do not fit in 64 bits.
func storedMilliseconds(fromSeconds seconds: Double) -> Int64? {
    Int64(exactly: (seconds * 1000).rounded(.towardZero))
}
