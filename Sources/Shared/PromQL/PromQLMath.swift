/// Floating-point helpers that compute exactly as Prometheus (in Go) does.
enum PromQLMath {
    /// Go's `math.Max`: NaN if either is NaN; +0 is larger than −0.
    static func max(_ a: Double, _ b: Double) -> Double {
        if a.isNaN || b.isNaN { return .nan }
        if a == 0, b == 0 { return a.sign == .minus ? b : a }
        return a > b ? a : b
    }

    /// Go's `math.Min`: NaN if either is NaN; −0 is smaller than +0.
    static func min(_ a: Double, _ b: Double) -> Double {
        if a.isNaN || b.isNaN { return .nan }
        if a == 0, b == 0 { return a.sign == .minus ? a : b }
        return a < b ? a : b
    }

    /// One step of Kahan–Neumaier summation: the new sum and compensation after adding `increment`.
    static func kahanAdd(_ increment: Double, _ sum: Double, _ compensation: Double) -> (Double, Double) {
        let total = sum + increment
        var c = compensation
        if total.isInfinite {
            c = 0
        } else if Swift.abs(sum) >= Swift.abs(increment) {
            c += (sum - total) + increment
        } else {
            c += (increment - total) + sum
        }
        return (total, c)
    }

    /// The φ-quantile of `values`, interpolating linearly between the nearest ranks, as
    /// `quantile` and `quantile_over_time` compute it: −Inf below 0, +Inf above 1, NaN for NaN or no values.
    static func quantile(_ phi: Double, _ values: [Double]) -> Double {
        guard !values.isEmpty, !phi.isNaN else { return .nan }
        if phi < 0 { return -.infinity }
        if phi > 1 { return .infinity }
        // Go sorts NaN first.
        let sorted = values.sorted { ($0.isNaN && !$1.isNaN) || (!$0.isNaN && !$1.isNaN && $0 < $1) }
        let count = Double(sorted.count)
        let rank = phi * (count - 1)
        let lower = Swift.max(0, rank.rounded(.down))
        let upper = Swift.min(count - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[Int(lower)] * (1 - weight) + sorted[Int(upper)] * weight
    }

    /// A value as Go's `strconv.FormatFloat(v, 'f', -1, 64)` writes it, for `count_values`' label.
    static func format(_ value: Double) -> String {
        jsonValue(value)
    }

    /// Go's `math.Mod`: the remainder with the sign of the dividend.
    static func modulo(_ a: Double, _ b: Double) -> Double {
        a.truncatingRemainder(dividingBy: b)
    }
}
