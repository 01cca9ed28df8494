extension ExpositionParser {
    /// What reading a number token gave.
    enum NumberReading: Equatable {
        /// A number, and whether it was written as `Inf` or `NaN` rather than in digits.
        case number(Double, isSpecial: Bool)
        /// Not a number in the accepted syntax.
        case invalid
        /// Digits whose value is beyond the largest `Double` (`1e400`).
        case outOfRange
    }

    /// Reads a sample value, exemplar value or OpenMetrics timestamp as Prometheus does.
    ///
    /// Prometheus reads these with Go's `strconv.ParseFloat`, refusing `p` and `_` (hex floats
    /// and digit separators), and both formats' grammars agree with the result:
    /// - decimal: an optional sign, digits with an optional point (`1`, `1.`, `.5`, `-0.25`),
    ///   then an optional exponent (`e-3`, `E+10`);
    /// - infinities: an optional sign and `inf` or `infinity` in any case (`+Inf`, `-INF`);
    /// - `nan` in any case, without a sign.
    ///
    /// Nothing else, although Swift's `Double("…")` would take more (`0x1p3`, `+nan`, `-nan`).
    /// Digits beyond the `Double` range are refused (`1e400`), not turned into infinity, as
    /// Go reports them out of range; digits too small for a `Double` read as 0, as in Go.
    static func readNumber(_ token: UnsafeBufferPointer<UInt8>) -> NumberReading {
        var index = 0
        var negative = false
        var signed = false
        if index < token.count, token[index] == UInt8(ascii: "+") || token[index] == UInt8(ascii: "-") {
            negative = token[index] == UInt8(ascii: "-")
            signed = true
            index += 1
        }
        // Plain integers, most values and every timestamp of a backfill file: one tight loop.
        // Up to 19 digits fit a UInt64, whose conversion to Double rounds correctly.
        var end = index
        var whole: UInt64 = 0
        while end < token.count, end - index < 19 {
            let digit = token[end] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            whole = whole &* 10 &+ UInt64(digit)
            end += 1
        }
        if end == token.count, end > index {
            let magnitude = Double(whole)
            return .number(negative ? -magnitude : magnitude, isSpecial: false)
        }
        let word = UnsafeBufferPointer(rebasing: token[index...])
        if equalsIgnoringCase(word, "inf") || equalsIgnoringCase(word, "infinity") {
            return .number(negative ? -.infinity : .infinity, isSpecial: true)
        }
        if !signed, equalsIgnoringCase(word, "nan") {
            return .number(.nan, isSpecial: true)
        }
        return readDecimal(token, from: index, negative: negative)
    }

    /// Powers of ten a `Double` holds exactly: multiplying or dividing an exact mantissa by
    /// one of them rounds once, so the result is the correctly rounded value.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Checks the decimal syntax and converts, without allocating for the common short forms.
    private static func readDecimal(_ token: UnsafeBufferPointer<UInt8>, from start: Int, negative: Bool) -> NumberReading {
        var index = start
        // The first 19 significant digits fit a UInt64; later ones only shift the exponent
        // (and send the conversion down the exact slow path if any of them is not zero).
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var droppedNonZero = false
        var exponent = 0
        var sawDigit = false
        var afterPoint = false
        while index < token.count {
            let byte = token[index]
            if byte == UInt8(ascii: "."), !afterPoint {
                afterPoint = true
                index += 1
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            sawDigit = true
            if mantissa == 0, digit == 0 {
                if afterPoint { exponent -= 1 }
            } else if significantDigits < 19 {
                mantissa = mantissa * 10 + UInt64(digit)
                significantDigits += 1
                if afterPoint { exponent -= 1 }
            } else {
                droppedNonZero = droppedNonZero || digit != 0
                if !afterPoint { exponent += 1 }
            }
            index += 1
        }
        guard sawDigit else { return .invalid }
        if index < token.count, token[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < token.count, token[index] == UInt8(ascii: "+") || token[index] == UInt8(ascii: "-") {
                exponentNegative = token[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            var exponentDigits = 0
            while index < token.count, token[index] &- UInt8(ascii: "0") < 10 {
                // Past a million the value is 0 or out of range whatever follows; stop growing
                // so that a long run of exponent digits cannot overflow the integer.
                if written < 1_000_000 { written = written * 10 + Int(token[index] &- UInt8(ascii: "0")) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return .invalid }
            exponent += exponentNegative ? -written : written
        }
        guard index == token.count else { return .invalid }

        if mantissa == 0 { return .number(negative ? -0.0 : 0.0, isSpecial: false) }
        let magnitude: Double
        if !droppedNonZero, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            let exact = Double(mantissa)
            magnitude = exponent >= 0 ? exact * exactPowersOfTen[exponent] : exact / exactPowersOfTen[-exponent]
        } else {
            // Long or extreme forms (`0.30000000000000004`, `5e-324`): the standard library's
            // correctly rounded conversion, on a token whose syntax is already checked.
            guard let converted = Double(String(decoding: UnsafeBufferPointer(rebasing: token[start...]), as: UTF8.self)) else {
                return .invalid
            }
            magnitude = converted
        }
        guard magnitude.isFinite else { return .outOfRange }
        return .number(negative ? -magnitude : magnitude, isSpecial: false)
    }

    /// Reads a 0.0.4 timestamp: digits only (as Prometheus's lexer takes them), integer
    /// milliseconds up to `Int64.max`, returned in seconds.
    static func readMilliseconds(_ token: UnsafeBufferPointer<UInt8>) -> NumberReading {
        guard !token.isEmpty, token.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) else { return .invalid }
        var milliseconds: Int64 = 0
        for byte in token {
            let (shifted, overflowShift) = milliseconds.multipliedReportingOverflow(by: 10)
            let (sum, overflowAdd) = shifted.addingReportingOverflow(Int64(byte &- UInt8(ascii: "0")))
            guard !overflowShift, !overflowAdd else { return .outOfRange }
            milliseconds = sum
        }
        // One correctly rounded division: the Double nearest to the exact number of seconds.
        return .number(Double(milliseconds) / 1000, isSpecial: false)
    }

    /// Whether `bytes` spell `word` (lowercase ASCII letters) in any mix of cases.
    private static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let letters = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for index in 0..<bytes.count where bytes[index] | 0x20 != letters[index] {
            return false
        }
        return true
    }
}
