
/// The reference answer to `apdex` in Exercise.swift. Try the exercise first.
func solutionApdex(upperBounds: [Double], cumulativeCounts: [UInt64], target: Double) throws -> Double {
    // T is a time: zero, negative or NaN makes no score, even if such a bound exists.
    guard target > 0 else { throw ApdexThresholdError(threshold: target, upperBounds: upperBounds) }
    let satisfiedIndex = try index(ofBound: target, in: upperBounds)
    let toleratingIndex = try index(ofBound: 4 * target, in: upperBounds)
    // The +Inf bucket counts every request.
    let total = cumulativeCounts[cumulativeCounts.count - 1]
    guard total > 0 else { return .nan }
    // Buckets are cumulative: le=T holds exactly the requests that took at most T.
    let satisfied = Double(cumulativeCounts[satisfiedIndex])
    // le=4T holds the satisfied ones too; take them off to leave the tolerating.
    let tolerating = Double(cumulativeCounts[toleratingIndex]) - satisfied
    // A tolerating request counts half; a frustrated one (above 4T) counts nothing.
    return (satisfied + tolerating / 2) / Double(total)
}

/// The position of `threshold` among the bounds, or an `ApdexThresholdError` if it is not one of them.
private func index(ofBound threshold: Double, in upperBounds: [Double]) throws -> Int {
    guard let index = upperBounds.firstIndex(of: threshold) else {
        throw ApdexThresholdError(threshold: threshold, upperBounds: upperBounds)
    }
    return index
}
