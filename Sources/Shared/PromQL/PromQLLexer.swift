/// Splits a PromQL query into tokens, each with its position (in characters) for error messages.
///
/// Numbers are decimal (`1`, `.5`, `1e3`), hexadecimal (`0x1F`), `Inf` or `NaN` in any case;
/// durations are unit-suffixed integers, largest unit first (`1h30m`, `500ms`; units
/// `ms s m h d w y`); strings are in double or single quotes with Go's escapes, or in
/// backquotes, raw. A `#` starts a comment to the end of the line.
struct PromQLLexer {
    enum Kind: Equatable {
        case identifier(String)
        case number(Double)
        case duration(Int64)
        case string(String)
        case symbol(String)
        case end
    }

    struct Token {
        let kind: Kind
        let position: Int
    }

    /// The longest duration a query may name: ten thousand years, far beyond any data, and
    /// far inside the range where milliseconds could overflow.
    static let longestDurationMilliseconds: Int64 = 10_000 * 365 * 86_400_000

    static func tokens(_ query: String) throws -> [Token] {
        let characters = Array(query.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        // Inside [ ] a colon separates a subquery's range from its step; elsewhere it is part of a name.
        var bracketDepth = 0
        while index < characters.count {
            let character = characters[index]
            let start = index
            if character == "[" { bracketDepth += 1 }
            if character == "]" { bracketDepth = max(0, bracketDepth - 1) }
            if bracketDepth > 0, character == ":" {
                tokens.append(Token(kind: .symbol(":"), position: start))
                index += 1
            } else if character.properties.isWhitespace {
                index += 1
            } else if character == "#" {
                while index < characters.count, characters[index] != "\n" { index += 1 }
            } else if isIdentifierStart(character) {
                while index < characters.count, isIdentifierPart(characters[index]) { index += 1 }
                let word = String(String.UnicodeScalarView(characters[start..<index]))
                let lowered = word.lowercased()
                if lowered == "inf" || lowered == "nan" {
                    tokens.append(Token(kind: .number(lowered == "inf" ? .infinity : .nan), position: start))
                } else {
                    tokens.append(Token(kind: .identifier(word), position: start))
                }
            } else if isDigit(character) || (character == "." && index + 1 < characters.count && isDigit(characters[index + 1])) {
                tokens.append(try numberOrDuration(characters, &index))
            } else if character == "\"" || character == "'" || character == "`" {
                tokens.append(Token(kind: .string(try string(characters, &index)), position: start))
            } else {
                let two = index + 1 < characters.count ? String(character) + String(characters[index + 1]) : ""
                if ["==", "!=", ">=", "<=", "=~", "!~"].contains(two) {
                    tokens.append(Token(kind: .symbol(two), position: start))
                    index += 2
                } else if "(){}[],=+-*/%^<>:@".unicodeScalars.contains(character) {
                    tokens.append(Token(kind: .symbol(String(character)), position: start))
                    index += 1
                } else if character == "!" {
                    throw PromQLError(position: start, message: "unexpected character after \"!\": expected != or !~")
                } else {
                    throw PromQLError(position: start, message: "unexpected character \"\(character)\"")
                }
            }
        }
        tokens.append(Token(kind: .end, position: characters.count))
        return tokens
    }

    static func isDigit(_ character: Unicode.Scalar) -> Bool {
        character.value >= 48 && character.value <= 57
    }

    static func isIdentifierStart(_ character: Unicode.Scalar) -> Bool {
        (character.value >= 65 && character.value <= 90) || (character.value >= 97 && character.value <= 122) || character == "_" || character == ":"
    }

    static func isIdentifierPart(_ character: Unicode.Scalar) -> Bool {
        isIdentifierStart(character) || isDigit(character)
    }

    /// A number, or a duration when digits run straight into a unit (`5m`, `1h30m`).
    private static func numberOrDuration(_ characters: [Unicode.Scalar], _ index: inout Int) throws -> Token {
        let start = index
        // A duration: integer, unit, integer, unit …, with the units in decreasing order.
        if let duration = try duration(characters, &index) { return Token(kind: .duration(duration), position: start) }
        var end = index
        if characters[end] == "0", end + 1 < characters.count, characters[end + 1] == "x" || characters[end + 1] == "X" {
            end += 2
            while end < characters.count, characters[end].properties.isASCIIHexDigit { end += 1 }
        } else {
            while end < characters.count, isDigit(characters[end]) { end += 1 }
            if end < characters.count, characters[end] == "." {
                end += 1
                while end < characters.count, isDigit(characters[end]) { end += 1 }
            }
            if end < characters.count, characters[end] == "e" || characters[end] == "E" {
                var exponent = end + 1
                if exponent < characters.count, characters[exponent] == "+" || characters[exponent] == "-" { exponent += 1 }
                if exponent < characters.count, isDigit(characters[exponent]) {
                    end = exponent
                    while end < characters.count, isDigit(characters[end]) { end += 1 }
                }
            }
        }
        let text = String(String.UnicodeScalarView(characters[start..<end]))
        if end < characters.count, (isIdentifierPart(characters[end]) && characters[end] != ":") || characters[end] == "." {
            if characters[end].properties.isAlphabetic {
                var unitEnd = end
                while unitEnd < characters.count, characters[unitEnd].properties.isAlphabetic { unitEnd += 1 }
                let unit = String(String.UnicodeScalarView(characters[end..<unitEnd]))
                throw PromQLError(position: start, message: "bad duration unit \"\(unit)\" (use ms, s, m, h, d, w or y)")
            }
            throw PromQLError(position: start, message: "bad number or duration syntax: \"\(text)\(characters[end])\"")
        }
        index = end
        let value: Double?
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            value = UInt64(text.dropFirst(2), radix: 16).map(Double.init)
        } else {
            value = Double(text)
        }
        guard let value else { throw PromQLError(position: start, message: "bad number \"\(text)\"") }
        return Token(kind: .number(value), position: start)
    }

    /// `text`, all of it, as a duration in milliseconds (`1h30m`, `500ms`); nil when it is not one.
    static func wholeDuration(_ text: String) -> Int64? {
        let characters = Array(text.unicodeScalars)
        var index = 0
        guard let milliseconds = try? duration(characters, &index), index == characters.count else { return nil }
        return milliseconds
    }

    /// Reads a duration at `index` if there is one there, moving past it; nil (index unmoved) if not.
    private static func duration(_ characters: [Unicode.Scalar], _ index: inout Int) throws -> Int64? {
        let units: [(String, Int64)] = [("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)]
        var position = index
        var total: Int64 = 0
        var lastUnit = -1
        var found = false
        while position < characters.count, isDigit(characters[position]) {
            var digitsEnd = position
            while digitsEnd < characters.count, isDigit(characters[digitsEnd]) { digitsEnd += 1 }
            // The unit: "ms" before "m".
            var unitIndex: Int?
            if digitsEnd + 1 < characters.count, characters[digitsEnd] == "m", characters[digitsEnd + 1] == "s" {
                unitIndex = 6
            } else if digitsEnd < characters.count, let unit = units.firstIndex(where: { $0.0 == String(characters[digitsEnd]) && $0.0 != "ms" }) {
                unitIndex = unit
            }
            guard let unit = unitIndex else { break }
            let unitEnd = digitsEnd + units[unit].0.unicodeScalars.count
            // "5m" followed by letters is not a duration ("5min"); "1e5" is a number.
            if unitEnd < characters.count, isIdentifierPart(characters[unitEnd]), !isDigit(characters[unitEnd]), characters[unitEnd] != ":" { return nil }
            guard unit > lastUnit else {
                throw PromQLError(position: index, message: "not a valid duration: units must go from largest to smallest, each once")
            }
            let digits = String(String.UnicodeScalarView(characters[position..<digitsEnd]))
            guard let amount = Int64(digits) else { throw PromQLError(position: index, message: "duration out of range") }
            let (product, overflow) = amount.multipliedReportingOverflow(by: units[unit].1)
            let (sum, overflowSum) = total.addingReportingOverflow(product)
            guard !overflow, !overflowSum, sum <= longestDurationMilliseconds else {
                throw PromQLError(position: index, message: "duration out of range: at most 10000y")
            }
            total = sum
            lastUnit = unit
            found = true
            position = unitEnd
        }
        guard found else { return nil }
        if position < characters.count, characters[position] == "." || (isIdentifierPart(characters[position]) && characters[position] != ":") {
            throw PromQLError(position: index, message: "not a valid duration")
        }
        index = position
        return total
    }

    private static func string(_ characters: [Unicode.Scalar], _ index: inout Int) throws -> String {
        let quote = characters[index]
        let start = index
        index += 1
        var text = String.UnicodeScalarView()
        while index < characters.count {
            let character = characters[index]
            index += 1
            if character == quote { return String(text) }
            if quote == "`" {
                text.append(character)
                continue
            }
            if character == "\n" { break }
            guard character == "\\" else {
                text.append(character)
                continue
            }
            guard index < characters.count else { break }
            let escaped = characters[index]
            index += 1
            switch escaped {
            case "a": text.append("\u{07}")
            case "b": text.append("\u{08}")
            case "f": text.append("\u{0C}")
            case "n": text.append("\n")
            case "r": text.append("\r")
            case "t": text.append("\t")
            case "v": text.append("\u{0B}")
            case "\\": text.append("\\")
            case "\"", "'":
                guard escaped == quote else { throw PromQLError(position: index - 2, message: "unknown escape sequence \\\(escaped)") }
                text.append(escaped)
            case "x", "u", "U", "0", "1", "2", "3", "4", "5", "6", "7":
                let (count, radix) = switch escaped {
                case "x": (2, 16)
                case "u": (4, 16)
                case "U": (8, 16)
                default: (3, 8)
                }
                let digitsStart = escaped == "x" || escaped == "u" || escaped == "U" ? index : index - 1
                guard digitsStart + count <= characters.count else { throw PromQLError(position: index - 2, message: "unterminated escape sequence") }
                let digits = String(String.UnicodeScalarView(characters[digitsStart..<(digitsStart + count)]))
                guard let value = UInt32(digits, radix: radix) else { throw PromQLError(position: index - 2, message: "invalid escape sequence \\\(escaped)\(digits)") }
                index = digitsStart + count
                if escaped == "x" || radix == 8 {
                    // \x and octal escapes are bytes; a lone byte above 0x7F is not valid UTF-8 text.
                    guard value < 0x80 else { throw PromQLError(position: index - count - 1, message: "escape sequence is not valid UTF-8") }
                }
                guard let scalar = Unicode.Scalar(value) else { throw PromQLError(position: index - count - 1, message: "escape sequence is an invalid Unicode code point") }
                text.append(scalar)
            default:
                throw PromQLError(position: index - 2, message: "unknown escape sequence \\\(escaped)")
            }
        }
        throw PromQLError(position: start, message: "unterminated quoted string")
    }
}
