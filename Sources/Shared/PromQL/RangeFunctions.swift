import Foundation
import TimeSeries

/// The functions over a range of samples, one series at a time, as Prometheus computes them.
enum RangeFunctions {
    /// `rate`, `increase` and `delta`: the change over the samples, corrected for counter
    /// resets (counters only), extrapolated towards the range's edges.
    ///
    /// The samples are extrapolated to an edge when the gap to it is under 1.1 times the
    /// average interval, and by half an interval otherwise (the series probably starts or ends
    /// inside the range). A counter is never extrapolated below zero. Prometheus 2.52 and later
    /// test the 1.1 threshold first and then stop at the zero point; up to 2.51 the zero point
    /// shortened the gap before the threshold was tested.
    static func extrapolatedRate(
        _ samples: ArraySlice<StoredSample>, rangeStart: Int64, rangeEnd: Int64,
        isCounter: Bool, isRate: Bool, semantics: PromQLSemantics
    ) -> Double? {
        guard samples.count >= 2, let first = samples.first, let last = samples.last else { return nil }
        var result = last.value - first.value
        if isCounter {
            var previous = 0.0
            for sample in samples {
                if sample.value < previous { result += previous }
                previous = sample.value
            }
        }
        var durationToStart = Double(first.timestamp - rangeStart) / 1000
        var durationToEnd = Double(rangeEnd - last.timestamp) / 1000
        let sampledInterval = Double(last.timestamp - first.timestamp) / 1000
        let averageInterval = sampledInterval / Double(samples.count - 1)
        let threshold = averageInterval * 1.1
        let rangeSeconds = Double(rangeEnd - rangeStart) / 1000
        switch semantics {
        case .prometheus3:
            if durationToStart >= threshold { durationToStart = averageInterval / 2 }
            if isCounter, result > 0, first.value >= 0 {
                let durationToZero = sampledInterval * (first.value / result)
                if durationToZero < durationToStart { durationToStart = durationToZero }
            }
            if durationToEnd >= threshold { durationToEnd = averageInterval / 2 }
            var factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval
            if isRate { factor /= rangeSeconds }
            return result * factor
        case .prometheus2:
            if isCounter, result > 0, first.value >= 0 {
                let durationToZero = sampledInterval * (first.value / result)
                if durationToZero < durationToStart { durationToStart = durationToZero }
            }
            var extrapolateTo = sampledInterval
            extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2
            extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2
            result *= extrapolateTo / sampledInterval
            if isRate { result /= rangeSeconds }
            return result
        }
    }

    /// `irate` and `idelta`: from the last two samples only.
    static func instantRate(_ samples: ArraySlice<StoredSample>, isRate: Bool) -> Double? {
        guard samples.count >= 2 else { return nil }
        let last = samples[samples.endIndex - 1], previous = samples[samples.endIndex - 2]
        var result = isRate && last.value < previous.value ? last.value : last.value - previous.value
        let interval = last.timestamp - previous.timestamp
        guard interval != 0 else { return nil }
        if isRate { result /= Double(interval) / 1000 }
        return result
    }

    /// How many times the value changed (NaN to NaN is no change).
    static func changes(_ samples: ArraySlice<StoredSample>) -> Double {
        var count = 0.0
        for (previous, current) in zip(samples, samples.dropFirst())
        where current.value != previous.value && !(current.value.isNaN && previous.value.isNaN) {
            count += 1
        }
        return count
    }

    /// How many times the value fell: counter resets.
    static func resets(_ samples: ArraySlice<StoredSample>) -> Double {
        Double(zip(samples, samples.dropFirst()).filter { $1.value < $0.value }.count)
    }

    /// The least-squares line through the samples: slope per second, and the value at `interceptTime`.
    static func linearRegression(_ samples: ArraySlice<StoredSample>, interceptTime: Int64) -> (slope: Double, intercept: Double) {
        var n = 0.0
        var sumX = 0.0, cX = 0.0, sumY = 0.0, cY = 0.0, sumXY = 0.0, cXY = 0.0, sumX2 = 0.0, cX2 = 0.0
        let initial = samples[samples.startIndex].value
        var constant = true
        for (index, sample) in samples.enumerated() {
            if constant, index > 0, sample.value != initial { constant = false }
            n += 1
            let x = Double(sample.timestamp - interceptTime) / 1000
            (sumX, cX) = PromQLMath.kahanAdd(x, sumX, cX)
            (sumY, cY) = PromQLMath.kahanAdd(sample.value, sumY, cY)
            (sumXY, cXY) = PromQLMath.kahanAdd(x * sample.value, sumXY, cXY)
            (sumX2, cX2) = PromQLMath.kahanAdd(x * x, sumX2, cX2)
        }
        if constant {
            if initial.isInfinite { return (.nan, .nan) }
            return (0, initial)
        }
        sumX += cX
        sumY += cY
        sumXY += cXY
        sumX2 += cX2
        let covariance = sumXY - sumX * sumY / n
        let variance = sumX2 - sumX * sumX / n
        let slope = covariance / variance
        return (slope, sumY / n - slope * sumX / n)
    }

    /// Double exponential smoothing (`holt_winters` in Prometheus 2): the smoothed value at the last sample.
    static func doubleExponentialSmoothing(_ samples: ArraySlice<StoredSample>, smoothing: Double, trend: Double) -> Double? {
        guard samples.count >= 2 else { return nil }
        let first = samples.startIndex
        var s0 = 0.0, s1 = samples[first].value
        var b = samples[first + 1].value - samples[first].value
        for index in (first + 1)..<samples.endIndex {
            let x = smoothing * samples[index].value
            if index - 1 != first { b = trend * (s1 - s0) + (1 - trend) * b }
            let y = (1 - smoothing) * (s1 + b)
            (s0, s1) = (s1, x + y)
        }
        return s1
    }

    /// The mean, summing directly while the sum stays finite, then incrementally.
    static func average(_ values: [Double]) -> Double {
        var sum = 0.0, mean = 0.0, count = 0.0, compensation = 0.0
        var incremental = false
        for value in values {
            count += 1
            if !incremental {
                let (newSum, newCompensation) = PromQLMath.kahanAdd(value, sum, compensation)
                if count == 1 || !newSum.isInfinite {
                    (sum, compensation) = (newSum, newCompensation)
                    continue
                }
                incremental = true
                mean = sum / (count - 1)
                compensation /= count - 1
            }
            if mean.isInfinite {
                if value.isInfinite, (mean > 0) == (value > 0) { continue }
                if !value.isInfinite, !value.isNaN { continue }
            }
            let current = mean + compensation
            (mean, compensation) = PromQLMath.kahanAdd(value / count - current / count, mean, compensation)
        }
        return incremental ? mean + compensation : (sum + compensation) / count
    }

    /// The population variance, by Welford's method with compensated sums.
    static func variance(_ values: [Double]) -> Double {
        var count = 0.0, mean = 0.0, compensationMean = 0.0, aux = 0.0, compensationAux = 0.0
        for value in values {
            count += 1
            let delta = value - (mean + compensationMean)
            (mean, compensationMean) = PromQLMath.kahanAdd(delta / count, mean, compensationMean)
            (aux, compensationAux) = PromQLMath.kahanAdd(delta * (value - (mean + compensationMean)), aux, compensationAux)
        }
        return (aux + compensationAux) / count
    }

    /// The sum, compensated.
    static func sum(_ values: [Double]) -> Double {
        var sum = 0.0, compensation = 0.0
        for value in values { (sum, compensation) = PromQLMath.kahanAdd(value, sum, compensation) }
        return sum + compensation
    }
}
