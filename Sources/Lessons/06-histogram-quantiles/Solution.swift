
/// The reference answer to `quantile` in Exercise.swift. Try the exercise first.
func solutionQuantile(_ q: Double, upperBounds: [Double], cumulativeCounts: [Double]) throws -> Double {
    if q.isNaN { return .nan }
    if q < 0 { return -.infinity }
    if q > 1 { return .infinity }
    // The +Inf bucket counts every observation.
    guard let observations = cumulativeCounts.last, observations > 0 else { return .nan }
    let rank = q * observations
    // The first finite bucket whose cumulative count reaches the rank; none means +Inf.
    guard let index = upperBounds.indices.first(where: { cumulativeCounts[$0] >= rank }) else {
        // Nothing is known above the highest finite bound, so that bound is the answer.
        return upperBounds[upperBounds.count - 1]
    }
    // The lowest bucket is taken to start at 0; every other one at the bound below it.
    let lowerEdge = index == 0 ? 0 : upperBounds[index - 1]
    let countBelow = index == 0 ? 0 : cumulativeCounts[index - 1]
    let countInBucket = cumulativeCounts[index] - countBelow
    // Linear interpolation: the rank's position among this bucket's observations.
    return lowerEdge + (upperBounds[index] - lowerEdge) * ((rank - countBelow) / countInBucket)
}
