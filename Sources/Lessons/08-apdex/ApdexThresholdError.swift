import Instrumentation

/// An Apdex threshold that cannot be used: a target T that is not a positive number of
/// seconds, or T or 4T not one of the histogram's bucket bounds.
///
/// A histogram only knows how many requests were at or below each bound. For a time
/// inside a bucket it cannot say how many were faster, so Apdex needs T and 4T as bounds.
/// Two errors are equal when they name the same threshold (NaN names NaN) and the same bounds.
public struct ApdexThresholdError: Error, Equatable, CustomStringConvertible {
    /// The threshold that cannot be used, in seconds: T or 4T missing from the bounds, or a T that is not positive.
    public let threshold: Double
    /// The histogram's finite bucket bounds.
    public let upperBounds: [Double]

    /// The error for `threshold`, which the histogram with `upperBounds` cannot score.
    public init(threshold: Double, upperBounds: [Double]) {
        self.threshold = threshold
        self.upperBounds = upperBounds
    }

    /// Whether both name the same threshold (NaN names NaN) and the same bounds.
    public static func == (left: Self, right: Self) -> Bool {
        (left.threshold == right.threshold || (left.threshold.isNaN && right.threshold.isNaN)) && left.upperBounds == right.upperBounds
    }

    /// What is wrong and how to fix it, in one line.
    public var description: String {
        guard threshold > 0 else {
            return "the Apdex target T must be a positive number of seconds, not \(formatSampleValue(threshold, for: .prometheus))"
        }
        let bounds = upperBounds.map { formatSampleValue($0, for: .prometheus) }.joined(separator: ", ")
        let missing = formatSampleValue(threshold, for: .prometheus)
        return "the Apdex threshold \(missing) s is not a bucket bound (the bounds are \(bounds)); add \(missing) to the histogram's buckets"
    }
}
