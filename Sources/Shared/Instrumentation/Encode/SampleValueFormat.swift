import Platform

/// The text of a sample value, as the exposition writes it.
///
/// Integral values print as integers (`3`; `3.0` in OpenMetrics, which the reference
/// clients write that way), others as the shortest decimal that reads back as the same
/// `Double` (`0.1`, not `0.1000000000000000055511151231257827`), and the specials as
/// `+Inf`, `-Inf` and `NaN`, the spellings both formats require.
public func formatSampleValue(_ value: Double, for format: ExpositionFormat) -> String {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: SampleValueText.maximumLength) { buffer in
        let count = SampleValueText.write(value, for: format, to: buffer.baseAddress!)
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
    }
}

/// Writes sample values as bytes, for the encoders.
enum SampleValueText {
    /// The most bytes `write` writes: `-1.7976931348623157e+308` is 24.
    static let maximumLength = 32

    /// Above 2^53 not every integer is a Double, so integral values beyond it print in exponent form.
    private static let largestExactInteger = 9_007_199_254_740_992.0

    /// The decimal digits of 00 to 99, two bytes each: halves the divisions of a digit-by-digit loop.
    private static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// Writes the text of `value` at `destination`, which has room for `maximumLength`
    /// bytes, and returns how many bytes it wrote.
    @inline(__always)
    static func write(_ value: Double, for format: ExpositionFormat, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        // In range, converting to an integer and back is exact only for integral values
        // (and cheaper than rounding, which baseline x86-64 has no instruction for).
        if abs(value) < largestExactInteger, Double(Int64(value)) == value {
            var count = writeInteger(Int64(value), to: destination)
            if format == .openmetrics {
                destination[count] = UInt8(ascii: ".")
                destination[count + 1] = UInt8(ascii: "0")
                count += 2
            }
            return count
        }
        if value.isNaN { return copy("NaN", to: destination) }
        if value.isInfinite { return copy(value < 0 ? "-Inf" : "+Inf", to: destination) }
        // Swift's description is the shortest round-trip form: "0.1", "1e-05", "1.5e+20".
        var text = value.description
        return text.withUTF8 { utf8 in
            destination.initialize(from: utf8.baseAddress!, count: utf8.count)
            return utf8.count
        }
    }

    /// Writes the decimal digits of `value` (with a sign when negative) and returns how many
    /// bytes it wrote.
    @inline(__always)
    static func writeInteger(_ value: Int64, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = value.magnitude
        var start = 0
        if value < 0 {
            destination[0] = UInt8(ascii: "-")
            start = 1
        }
        // Count the digits first, then write them from the last, two at a time.
        var digits = 1
        var power: UInt64 = 10
        while digits < 20, magnitude >= power {
            digits += 1
            power = power &* 10
        }
        let pairs = digitPairs.utf8Start
        var position = start + digits
        while magnitude >= 100 {
            let pair = Int(magnitude % 100) &* 2
            magnitude /= 100
            position -= 2
            destination[position] = pairs[pair]
            destination[position + 1] = pairs[pair + 1]
        }
        if magnitude >= 10 {
            let pair = Int(magnitude) &* 2
            destination[start] = pairs[pair]
            destination[start + 1] = pairs[pair + 1]
        } else {
            destination[start] = UInt8(ascii: "0") + UInt8(magnitude)
        }
        return start + digits
    }

    private static func copy(_ text: StaticString, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        destination.initialize(from: text.utf8Start, count: text.utf8CodeUnitCount)
        return text.utf8CodeUnitCount
    }
}
