import Platform

/// The escaping rules of the text formats.
///
/// In a label value a backslash, a double quote and a line feed would end or break the
/// quoted string, so they are written `\\`, `\"` and `\n`. HELP text has no quotes
/// around it: the 0.0.4 format escapes only backslash and line feed there, OpenMetrics
/// the double quote too. Everything else, non-ASCII included, is written as UTF-8.
package enum LabelEscaping {
    /// A label value escaped for both formats.
    package static func escaped(_ value: String) -> String {
        withUTF8(of: value) { utf8 in
            guard !utf8.isEmpty else { return "" }
            return String(unsafeUninitializedCapacity: utf8.count * 2, initializingUTF8With: { buffer in
                write(utf8, escapingQuotes: true, to: buffer.baseAddress!)
            })
        }
    }

    /// Writes `text` escaped at `destination`, which has room for twice its length, and
    /// returns how many bytes it wrote.
    ///
    /// Most values need no escaping: those are checked eight bytes at a time and copied
    /// whole; only the others are escaped byte by byte.
    @inline(__always)
    static func write(_ text: UnsafeBufferPointer<UInt8>, escapingQuotes: Bool, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        guard let source = text.baseAddress else { return 0 }
        if !mayNeedEscaping(text, escapingQuotes: escapingQuotes) {
            copyBytes(from: source, to: destination, count: text.count)
            return text.count
        }
        var written = 0
        for byte in text {
            let replacement: UInt8
            switch byte {
            case UInt8(ascii: "\\"): replacement = UInt8(ascii: "\\")
            case UInt8(ascii: "\n"): replacement = UInt8(ascii: "n")
            case UInt8(ascii: "\"") where escapingQuotes: replacement = UInt8(ascii: "\"")
            default:
                destination[written] = byte
                written += 1
                continue
            }
            destination[written] = UInt8(ascii: "\\")
            destination[written + 1] = replacement
            written += 2
        }
        return written
    }

    /// Whether some byte of `text` may be one to escape (never wrong when false).
    ///
    /// Reads the bytes eight at a time, the last read overlapping the one before; shorter
    /// texts are read as two overlapping halves of four, or byte by byte.
    @inline(__always)
    private static func mayNeedEscaping(_ text: UnsafeBufferPointer<UInt8>, escapingQuotes: Bool) -> Bool {
        let count = text.count
        let raw = UnsafeRawPointer(text.baseAddress!)
        if count >= 8 {
            var offset = 0
            while offset + 8 < count {
                if mayNeedEscaping(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self), escapingQuotes: escapingQuotes) {
                    return true
                }
                offset += 8
            }
            return mayNeedEscaping(raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), escapingQuotes: escapingQuotes)
        }
        if count >= 4 {
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            return mayNeedEscaping(low | high << 32, escapingQuotes: escapingQuotes)
        }
        guard count > 0 else { return false }
        // One to three bytes: repeat the first to fill eight (a repeated byte changes nothing).
        var word = UInt64(text[0]) * 0x0101_0101_0101_0101
        for index in 1..<count { word = word << 8 | UInt64(text[index]) }
        return mayNeedEscaping(word, escapingQuotes: escapingQuotes)
    }

    /// Whether any of eight bytes may be one to escape (no false negatives; rare false positives).
    ///
    /// `(x - 0x01…01) & ~x & 0x80…80` is non-zero exactly when some byte of `x` is zero;
    /// XOR with a byte repeated eight times zeroes the bytes equal to it.
    @inline(__always)
    private static func mayNeedEscaping(_ word: UInt64, escapingQuotes: Bool) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        var found = hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\\"))))
            | hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\n"))))
        if escapingQuotes { found |= hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\"")))) }
        return found != 0
    }
}
