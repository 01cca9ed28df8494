import Foundation
import Platform

/// Upper bounds for histogram buckets.
///
/// Each bound is the inclusive upper edge of a bucket (`le` means "less than or equal");
/// bounds are strictly increasing and finite, and the `+Inf` bucket is always added.
/// Put bounds where the questions are: around your latency target and your SLO threshold,
/// because `histogram_quantile` can only interpolate inside a bucket.
public enum Buckets {
    /// The Prometheus client default, for request latencies in seconds:
    /// 5 ms to 10 s.
    public static let defaults: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// `count` bounds starting at `start`, each `width` above the last.
    ///
    /// `linear(start: 0.1, width: 0.1, count: 3)` is `[0.1, 0.2, 0.3]`.
    public static func linear(start: Double, width: Double, count: Int) throws -> [Double] {
        guard count >= 1 else { throw MetricsError.invalidBucketLayout("linear buckets need a count of at least 1, got \(count)") }
        guard width > 0, width.isFinite, start.isFinite else {
            throw MetricsError.invalidBucketLayout("linear buckets need a finite start and a positive finite width, got start \(start), width \(width)")
        }
        return (0..<count).map { tidy(start + Double($0) * width) }
    }

    /// `count` bounds starting at `start`, each `factor` times the last.
    ///
    /// `exponential(start: 0.001, factor: 10, count: 4)` is `[0.001, 0.01, 0.1, 1]`.
    public static func exponential(start: Double, factor: Double, count: Int) throws -> [Double] {
        guard count >= 1 else { throw MetricsError.invalidBucketLayout("exponential buckets need a count of at least 1, got \(count)") }
        guard start > 0, start.isFinite, factor > 1, factor.isFinite else {
            throw MetricsError.invalidBucketLayout("exponential buckets need a positive start and a factor above 1, got start \(start), factor \(factor)")
        }
        return (0..<count).map { tidy(start * pow(factor, Double($0))) }
    }

    /// Rounds away the last-digit noise of repeated floating-point steps, so that a
    /// bound meant as 0.3 is exposed as `le="0.3"`, not `le="0.30000000000000004"`.
    private static func tidy(_ bound: Double) -> Double {
        Double(String(format: "%.15g", bound)) ?? bound
    }

    /// Checks bounds for a histogram: at least one, finite, strictly increasing.
    /// A trailing `+Inf` is accepted and dropped, since that bucket is always there.
    static func validated(_ bounds: [Double], metric: String) throws -> [Double] {
        var bounds = bounds
        if bounds.last == .infinity { bounds.removeLast() }
        guard !bounds.isEmpty else {
            throw MetricsError.invalidBuckets(metric: metric, reason: "give at least one finite upper bound (Buckets.defaults is a good start); +Inf is always added")
        }
        for (index, bound) in bounds.enumerated() {
            guard bound.isFinite else {
                throw MetricsError.invalidBuckets(metric: metric, reason: "bound \(bound) at position \(index) is not finite; only the implicit last bucket is +Inf")
            }
            if index > 0, bound <= bounds[index - 1] {
                throw MetricsError.invalidBuckets(metric: metric, reason: "bounds must be strictly increasing, but \(bound) follows \(bounds[index - 1]) at position \(index)")
            }
        }
        return bounds
    }
}
