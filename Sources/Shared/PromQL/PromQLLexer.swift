import Instrumentation

/// Splits a PromQL query into tokens, each with its position for error messages.
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

    static func tokens(_ query: String) throws -> [Token] {
        let characters = Array(query.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let start = index
            if character.properties.isWhitespace {
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
                tokens.append(try number(characters, &index))
            } else if character == "\"" || character == "'" || character == "`" {
                tokens.append(Token(kind: .string(try string(characters, &index)), position: start))
            } else {
                let two = index + 1 < characters.count ? String(character) + String(characters[index + 1]) : ""
                if ["==", "!=", ">=", "<=", "=~", "!~"].contains(two) {
                    tokens.append(Token(kind: .symbol(two), position: start))
                    index += 2
                } else if "(){}[],=+-*/<>:".unicodeScalars.contains(character) {
                    tokens.append(Token(kind: .symbol(String(character)), position: start))
                    index += 1
                } else {
                    throw PromQLError(position: start, message: "unexpected character \"\(character)\"")
                }
            }
        }
        tokens.append(Token(kind: .end, position: characters.count))
        return tokens
    }

    private static func isDigit(_ character: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(character)
    }

    private static func isIdentifierStart(_ character: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(character) || ("A"..."Z").contains(character) || character == "_" || character == ":"
    }

    private static func isIdentifierPart(_ character: Unicode.Scalar) -> Bool {
        isIdentifierStart(character) || isDigit(character)
    }

    /// A number (`3`, `0.5`, `1e-3`) or a duration (`5m`, `1h30m`, `250ms`).
    private static func number(_ characters: [Unicode.Scalar], _ index: inout Int) throws -> Token {
        let start = index
        var text = ""
        while index < characters.count, isDigit(characters[index]) || characters[index] == "." {
            text.unicodeScalars.append(characters[index])
            index += 1
        }
        if index < characters.count, characters[index] == "e" || characters[index] == "E",
           index + 1 < characters.count, isDigit(characters[index + 1]) || ((characters[index + 1] == "-" || characters[index + 1] == "+") && index + 2 < characters.count && isDigit(characters[index + 2])) {
            text.unicodeScalars.append(characters[index])
            index += 1
            text.unicodeScalars.append(characters[index])
            index += 1
            while index < characters.count, isDigit(characters[index]) {
                text.unicodeScalars.append(characters[index])
                index += 1
            }
            guard let value = Double(text) else { throw PromQLError(position: start, message: "bad number \"\(text)\"") }
            return Token(kind: .number(value), position: start)
        }
        guard index < characters.count, ("a"..."z").contains(characters[index]) else {
            guard let value = Double(text) else { throw PromQLError(position: start, message: "bad number \"\(text)\"") }
            return Token(kind: .number(value), position: start)
        }
        // A duration: one or more <integer><unit> pairs, largest unit first.
        index = start
        var total: Int64 = 0
        while index < characters.count, isDigit(characters[index]) {
            var amount: Int64 = 0
            while index < characters.count, isDigit(characters[index]) {
                let (scaled, overflow) = amount.multipliedReportingOverflow(by: 10)
                guard !overflow else { throw PromQLError(position: start, message: "duration out of range") }
                amount = scaled + Int64(characters[index].value - 48)
                index += 1
            }
            var unit = ""
            while index < characters.count, ("a"..."z").contains(characters[index]) {
                unit.unicodeScalars.append(characters[index])
                index += 1
            }
            let milliseconds: Int64? = ["ms": 1, "s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000, "y": 31_536_000_000][unit]
            guard let milliseconds else {
                throw PromQLError(position: start, message: "bad duration unit \"\(unit)\" (use ms, s, m, h, d, w or y)")
            }
            let (product, overflow) = amount.multipliedReportingOverflow(by: milliseconds)
            guard !overflow else { throw PromQLError(position: start, message: "duration out of range") }
            total += product
        }
        if index < characters.count, characters[index] != ":", isIdentifierPart(characters[index]) || characters[index] == "." {
            throw PromQLError(position: start, message: "bad duration")
        }
        return Token(kind: .duration(total), position: start)
    }

    /// A quoted string; double and single quotes take Go's escapes, backquotes none.
    private static func string(_ characters: [Unicode.Scalar], _ index: inout Int) throws -> String {
        let quote = characters[index]
        let start = index
        index += 1
        var text = ""
        while index < characters.count {
            let character = characters[index]
            index += 1
            if character == quote { return text }
            if character == "\\", quote != "`" {
                guard index < characters.count else { break }
                let escaped = characters[index]
                index += 1
                switch escaped {
                case "n": text.unicodeScalars.append("\n")
                case "t": text.unicodeScalars.append("\t")
                case "r": text.unicodeScalars.append("\r")
                case "\\", "\"", "'": text.unicodeScalars.append(escaped)
                default: throw PromQLError(position: index - 2, message: "unknown escape sequence \"\\\(escaped)\"")
                }
            } else {
                if character == "\n", quote != "`" { break }
                text.unicodeScalars.append(character)
            }
        }
        throw PromQLError(position: start, message: "unterminated quoted string")
    }
}
