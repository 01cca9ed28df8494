import Platform
import Instrumentation

extension ExpositionParser {
    /// A reading position in the exposition's bytes, and the line it is on.
    ///
    /// Reading past the last byte yields a line feed, so every scan that stops at the end of
    /// a line also stops at the end of the input: a final line without its `\n` reads like
    /// any other. Every scan checks the position against the count before it reads, which is
    /// what keeps malformed input from reading out of bounds.
    struct Cursor {
        /// The whole exposition; it outlives the cursor.
        let bytes: UnsafeBufferPointer<UInt8>
        /// The index of the next byte to read.
        private(set) var position = 0
        /// The line `position` is on, counting from 1.
        private(set) var line = 1

        /// A cursor at the first byte of `bytes`, on line 1.
        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        /// Whether every byte has been read.
        var isAtEnd: Bool { position >= bytes.count }

        /// The next byte, or a line feed at the end of the input.
        @inline(__always)
        var current: UInt8 { position < bytes.count ? bytes[position] : Byte.lineFeed }

        /// Whether the next byte ends the line (or the input does).
        var isAtLineEnd: Bool { current == Byte.lineFeed }

        /// Moves past the current byte; callers have seen that it is not the end of a line.
        @inline(__always)
        mutating func advance() {
            if position < bytes.count { position += 1 }
        }

        /// Moves past `byte` when it is next; returns whether it was.
        @inline(__always)
        mutating func consume(_ byte: UInt8) -> Bool {
            guard current == byte, position < bytes.count else { return false }
            position += 1
            return true
        }

        /// Moves past `word` when the bytes ahead spell it exactly; returns whether they did.
        mutating func consume(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard bytes.count - position >= count else { return false }
            let ahead = UnsafeBufferPointer(rebasing: bytes[position..<position + count])
            guard Cursor.sameBytes(ahead, UnsafeBufferPointer(start: word.utf8Start, count: count)) else { return false }
            position += count
            return true
        }

        /// Moves past the next `count` bytes, which the caller has already compared.
        mutating func advance(by count: Int) {
            position = min(position + count, bytes.count)
        }

        /// Moves past spaces and tabs, the blanks of the 0.0.4 format; returns whether there were any.
        @discardableResult
        mutating func skipBlanks() -> Bool {
            let start = position
            while position < bytes.count, bytes[position] == Byte.space || bytes[position] == Byte.tab {
                position += 1
            }
            return position > start
        }

        /// Moves to the end of the line without reading it (a comment).
        mutating func skipRestOfLine() {
            while position < bytes.count, bytes[position] != Byte.lineFeed {
                position += 1
            }
        }

        /// Moves past the line feed that ends this line, onto the next line.
        mutating func finishLine() {
            guard position < bytes.count else { return }
            position += 1
            line += 1
        }

        /// The bytes of a metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`; empty when none starts here.
        mutating func scanMetricName() -> Range<Int> {
            scanName(allowingColon: true)
        }

        /// The bytes of a label name, `[a-zA-Z_][a-zA-Z0-9_]*`; empty when none starts here.
        mutating func scanLabelName() -> Range<Int> {
            scanName(allowingColon: false)
        }

        /// The bytes of a name: letters, `_` and (in metric names) `:`, then digits too.
        @inline(__always)
        private mutating func scanName(allowingColon: Bool) -> Range<Int> {
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                let letter = (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte == Byte.underscore
                let digit = byte &- UInt8(ascii: "0") < 10
                guard letter || (allowingColon && byte == Byte.colon) || (digit && position > start) else { break }
                position += 1
            }
            return start..<position
        }

        /// The bytes up to the next separator or the end of the line: a value or timestamp.
        ///
        /// OpenMetrics separates tokens by a single space; the 0.0.4 format by spaces or tabs.
        mutating func scanToken(stoppingAtTabs: Bool) -> Range<Int> {
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == Byte.space || byte == Byte.lineFeed || (stoppingAtTabs && byte == Byte.tab) { break }
                position += 1
            }
            return start..<position
        }

        /// Escaped text found by `scanEscapedText`: where it lies and what converting it involves.
        struct EscapedText {
            /// The bytes between the delimiters, escapes still in.
            let range: Range<Int>
            /// Whether there is a backslash in it.
            let hasEscapes: Bool
            /// Whether every byte is ASCII, so that it is valid UTF-8 without checking.
            let isASCII: Bool
        }

        /// Moves over a label value, after its opening quote, through its closing quote; nil when
        /// the line ends first.
        mutating func scanQuotedText() -> EscapedText? {
            let text = scanEscapedText(endingAtQuote: true)
            guard position < bytes.count, bytes[position] == Byte.quote else { return nil }
            position += 1
            return text
        }

        /// Moves over help text, up to the end of the line.
        mutating func scanLineText() -> EscapedText {
            scanEscapedText(endingAtQuote: false)
        }

        /// Moves to the end of escaped text: before the closing quote of a label value, or the
        /// end of the line.
        ///
        /// A backslash always pairs with the byte after it, so `\"` does not end a value while
        /// `\\"` does; which pairs mean something is for `unescaped` to decide.
        private mutating func scanEscapedText(endingAtQuote: Bool) -> EscapedText {
            let start = position
            var hasEscapes = false
            var highBits: UInt8 = 0
            while position < bytes.count {
                let byte = bytes[position]
                if byte == Byte.lineFeed || (byte == Byte.quote && endingAtQuote) { break }
                if byte == Byte.backslash {
                    hasEscapes = true
                    // A backslash at the end of the line pairs with nothing and stays as it is.
                    if position + 1 < bytes.count, bytes[position + 1] != Byte.lineFeed {
                        highBits |= bytes[position + 1]
                        position += 1
                    }
                }
                highBits |= byte
                position += 1
            }
            return EscapedText(range: start..<position, hasEscapes: hasEscapes, isASCII: highBits < 0x80)
        }

        /// Whether two byte sequences are equal.
        ///
        /// It runs on every sample's name and on most labels, mostly over a few dozen bytes and
        /// often failing early, so it compares eight bytes at a time in line rather than pay
        /// for a call to `memcmp` or a generic element-by-element loop.
        @inline(__always)
        static func sameBytes(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Bool {
            guard first.count == second.count else { return false }
            guard let left = first.baseAddress, let right = second.baseAddress else { return true }
            let (left8, right8) = (UnsafeRawPointer(left), UnsafeRawPointer(right))
            var offset = 0
            while offset + 8 <= first.count {
                guard left8.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    == right8.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
                offset += 8
            }
            while offset < first.count {
                guard left[offset] == right[offset] else { return false }
                offset += 1
            }
            return true
        }

        /// The number of line feeds in the input.
        ///
        /// Sizing the sample array from it costs one quick pass (`memchr` skips from line to
        /// line with vector instructions) instead of a reallocation and copy each time the
        /// array would double.
        func countLineFeeds() -> Int {
            guard let base = bytes.baseAddress else { return 0 }
            var count = 0
            var offset = 0
            while offset < bytes.count, let found = memchr(base + offset, Int32(Byte.lineFeed), bytes.count - offset) {
                count += 1
                offset = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
            }
            return count
        }

        /// Whether two ranges of the input hold the same bytes.
        @inline(__always)
        func sameBytes(_ first: Range<Int>, _ second: Range<Int>) -> Bool {
            Cursor.sameBytes(slice(first), slice(second))
        }

        /// The string for the ASCII bytes `range`, and whether it is the one cached at `index`,
        /// reused because the bytes are the same; a new one is cached with its digest when `digesting`.
        func string(
            _ range: Range<Int>, cachedIn cache: inout [CachedString], at index: Int, digesting: Bool
        ) -> (string: String, reused: Bool) {
            if index < cache.count, sameBytes(cache[index].bytes, range) { return (cache[index].string, true) }
            let string = text(range)
            cache.store(string, from: range, at: index, digesting: digesting)
            return (string, false)
        }

        /// OpenMetrics ends a line right after its last token; a space there is an error, not padding.
        func refuseTrailingSpace() throws(ExpositionParseError) {
            guard !isAtLineEnd else {
                throw error("a space at the end of the line; OpenMetrics ends a line right after its last token")
            }
        }

        /// The bytes in `range`.
        @inline(__always)
        func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[range])
        }

        /// The bytes in `range` as a string, for names (ASCII by construction) and messages.
        func text(_ range: Range<Int>) -> String {
            String(decoding: slice(range), as: UTF8.self)
        }

        /// The text in `range` quoted for a message, control characters escaped, cut short
        /// when long so that a megabyte of garbage makes a one-line message.
        func quoted(_ range: Range<Int>) -> String {
            let shown = range.count > 40 ? range.lowerBound..<range.lowerBound + 40 : range
            let escaped = text(shown).unicodeScalars.map { $0.escaped(asASCII: false) }.joined()
            return "\"" + escaped + (shown.count < range.count ? "…" : "") + "\""
        }

        /// What is at the current position, for "expected X, found Y" messages.
        var found: String {
            isAtEnd ? "the end of the input" : Cursor.describe(current)
        }

        /// A byte in words: printable ASCII quoted, the rest named or in hex.
        static func describe(_ byte: UInt8) -> String {
            switch byte {
            case Byte.lineFeed: "the end of the line"
            case Byte.tab: "a tab"
            case Byte.carriageReturn: "a carriage return (lines end with \\n alone)"
            case 0x20...0x7E: "'\(Character(Unicode.Scalar(byte)))'"
            default: "the byte 0x" + String(byte, radix: 16, uppercase: true)
            }
        }

        /// An error on the current line.
        func error(_ reason: String) -> ExpositionParseError {
            ExpositionParseError(line: line, reason: reason)
        }
    }
}

extension ExpositionParser {
    /// The bytes the grammar is made of, by name; each constant is the byte it names.
    enum Byte {
        static let lineFeed = UInt8(ascii: "\n")
        static let carriageReturn = UInt8(ascii: "\r")
        static let space = UInt8(ascii: " ")
        static let tab = UInt8(ascii: "\t")
        static let quote = UInt8(ascii: "\"")
        static let backslash = UInt8(ascii: "\\")
        static let hash = UInt8(ascii: "#")
        static let openBrace = UInt8(ascii: "{")
        static let closeBrace = UInt8(ascii: "}")
        static let comma = UInt8(ascii: ",")
        static let equals = UInt8(ascii: "=")
        static let underscore = UInt8(ascii: "_")
        static let colon = UInt8(ascii: ":")
    }
}
