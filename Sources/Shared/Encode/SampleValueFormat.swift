/// The text of a sample value, as the exposition writes it.
///
/// Integral values print as integers (`3`; `3.0` in OpenMetrics, which the reference
/// clients write that way), others as the shortest decimal that reads back as the same
/// `Double` (`0.1`, not `0.1000000000000000055511151231257827`), and the specials as
/// `+Inf`, `-Inf` and `NaN`, the spellings both formats require.
public func formatSampleValue(_ value: Double, for format: ExpositionFormat) -> String {
    var bytes = [UInt8]()
    appendSampleValue(value, for: format, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}

/// Above 2^53 not every integer is a Double, so integral values beyond it print in exponent form.
private let largestExactInteger = 9_007_199_254_740_992.0

@inline(__always)
func appendSampleValue(_ value: Double, for format: ExpositionFormat, to bytes: inout [UInt8]) {
    if value.isNaN {
        bytes.append(contentsOf: "NaN".utf8)
    } else if value.isInfinite {
        bytes.append(contentsOf: (value < 0 ? "-Inf" : "+Inf").utf8)
    } else if value.rounded(.towardZero) == value, abs(value) < largestExactInteger {
        appendInteger(Int64(value), to: &bytes)
        if format == .openmetrics { bytes.append(contentsOf: ".0".utf8) }
    } else {
        // Swift's description is the shortest round-trip form: "0.1", "1e-05", "1.5e+20".
        bytes.append(contentsOf: value.description.utf8)
    }
}

/// Two decimal digits per step: halves the divisions of the naive loop.
private let digitPairs: [UInt8] = {
    var pairs = [UInt8]()
    pairs.reserveCapacity(200)
    for value in 0..<100 {
        pairs.append(UInt8(ascii: "0") + UInt8(value / 10))
        pairs.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
    return pairs
}()

@inline(__always)
func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
    var magnitude = value.magnitude
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    if magnitude < 10 {
        bytes.append(UInt8(48 + magnitude))
        return
    }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
        var position = 20
        digitPairs.withUnsafeBufferPointer { pairs in
            while magnitude >= 100 {
                let pair = Int(magnitude % 100) * 2
                magnitude /= 100
                position -= 2
                scratch[position] = pairs[pair]
                scratch[position + 1] = pairs[pair + 1]
            }
            if magnitude >= 10 {
                let pair = Int(magnitude) * 2
                position -= 2
                scratch[position] = pairs[pair]
                scratch[position + 1] = pairs[pair + 1]
            } else {
                position -= 1
                scratch[position] = UInt8(48 + magnitude)
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[position..<20]))
    }
}
