import Instrumentation

/// An Apdex threshold (T or 4T) that is not one of the histogram's bucket bounds.
///
/// A histogram only knows how many requests were at or below each bound. For a time
/// inside a bucket it cannot say how many were faster, so Apdex needs T and 4T as bounds.
struct ApdexThresholdError: Error, Equatable, CustomStringConvertible {
    /// The threshold that is missing, in seconds: T or 4T.
    let threshold: Double
    /// The histogram's finite bucket bounds.
    let upperBounds: [Double]

    /// What is wrong and how to fix it, in one line.
    var description: String {
        let bounds = upperBounds.map { formatSampleValue($0, for: .prometheus) }.joined(separator: ", ")
        let missing = formatSampleValue(threshold, for: .prometheus)
        return "the Apdex threshold \(missing) s is not a bucket bound (the bounds are \(bounds)); add \(missing) to the histogram's buckets"
    }
}
