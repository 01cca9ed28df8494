/// Reads RE2 syntax into a `RegexNode`, by recursive descent: an alternation is
/// concatenations separated by `|`, a concatenation is repeated atoms.
struct RegexParser {
    private let pattern: String
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var flags: RegexFlags
    private var depth = 0
    /// How many capture groups have been opened so far.
    private(set) var groupCount = 0
    /// Each group's name, by group number (nil for group 0 and unnamed groups).
    private(set) var groupNames: [String?] = [nil]

    /// RE2 refuses counted repetition above this, and nested counts whose product is above it.
    static let maximumRepeat = 1000
    /// How deeply groups may nest (Go allows 1000; the parser recurses, and threads have small stacks).
    static let maximumDepth = 250

    init(pattern: String, flags: RegexFlags) {
        self.pattern = pattern
        scalars = Array(pattern.unicodeScalars)
        self.flags = flags
    }

    mutating func parseWholePattern() throws -> RegexNode {
        let tree = try parseAlternation()
        if position < scalars.count {
            // Only a `)` stops an alternation before the end.
            throw failure("unexpected )", pattern)
        }
        return tree
    }

    // MARK: Structure

    private mutating func parseAlternation() throws -> RegexNode {
        var branches = [try parseConcatenation()]
        while peek == "|" {
            position += 1
            branches.append(try parseConcatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcatenation() throws -> RegexNode {
        var items: [RegexNode] = []
        // Where the previous repetition operator started, to refuse `a**` as RE2 does.
        var previousRepeatStart: Int?
        while let scalar = peek, scalar != "|", scalar != ")" {
            let start = position
            if let repeated = try parseRepetitionOperator() {
                if let previousRepeatStart {
                    throw failure("invalid nested repetition operator", text(from: previousRepeatStart))
                }
                guard let operand = items.popLast() else {
                    throw failure("missing argument to repetition operator", text(from: start))
                }
                if repeated.min > 1 || (repeated.max ?? 0) > 1, !Self.repeatCountsAreValid(operand, budget: Self.maximumRepeat / max(repeated.max ?? repeated.min, 1)) {
                    throw failure("invalid repeat count", text(from: start))
                }
                items.append(.repetition(operand, min: repeated.min, max: repeated.max, greedy: repeated.greedy))
                previousRepeatStart = start
                continue
            }
            previousRepeatStart = nil
            if scalar == "\\", self.scalar(at: position + 1) == "Q" {
                // \Q…\E: literal text; a repetition after it repeats its last scalar only.
                items += parseQuotedText()
            } else if let atom = try parseAtom() {
                items.append(atom)
            }
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concatenation(items)
        }
    }

    /// Go's `repeatIsValid`: counted repetitions nested inside one another may multiply to 1000 at most.
    private static func repeatCountsAreValid(_ node: RegexNode, budget: Int) -> Bool {
        switch node {
        case .repetition(let inner, let min, let max, _):
            // Only `{n,m}` counts; `*`, `+` and `?` are written as {0,}, {1,}, {0,1}.
            let count = max ?? min
            guard count <= budget else { return false }
            return repeatCountsAreValid(inner, budget: count > 0 ? budget / count : budget)
        case .capture(_, let inner): return repeatCountsAreValid(inner, budget: budget)
        case .concatenation(let items), .alternation(let items): return items.allSatisfy { repeatCountsAreValid($0, budget: budget) }
        case .empty, .scalars, .assertion: return true
        }
    }

    /// `*`, `+`, `?` or `{n,m}`, each with an optional `?` for lazy; nil (consuming nothing) when
    /// none is next. A `{` that does not start a valid count is a literal, as in RE2.
    private mutating func parseRepetitionOperator() throws -> (min: Int, max: Int?, greedy: Bool)? {
        let start = position
        var bounds: (min: Int, max: Int?)
        switch peek {
        case "*": bounds = (0, nil); position += 1
        case "+": bounds = (1, nil); position += 1
        case "?": bounds = (0, 1); position += 1
        case "{":
            guard let counted = parseRepeatCount() else { return nil }
            bounds = counted
            let tooLarge = bounds.min > Self.maximumRepeat || (bounds.max ?? 0) > Self.maximumRepeat
            if bounds.min < 0 || tooLarge || (bounds.max.map { $0 < bounds.min } ?? false) {
                throw failure("invalid repeat count", text(from: start))
            }
        default:
            return nil
        }
        var greedy = !flags.ungreedy
        if peek == "?" {
            position += 1
            greedy.toggle()
        }
        return (bounds.min, bounds.max, greedy)
    }

    /// `{n}`, `{n,}` or `{n,m}`; nil and no input consumed when the text is not one of those.
    /// A number too large to read gives -1, which the caller reports as an invalid count.
    private mutating func parseRepeatCount() -> (min: Int, max: Int?)? {
        let start = position
        position += 1
        guard let low = parseDecimal() else { position = start; return nil }
        var high: Int? = low
        if peek == "," {
            position += 1
            if peek == "}" {
                high = nil
            } else {
                guard let parsed = parseDecimal() else { position = start; return nil }
                high = parsed
            }
        }
        guard peek == "}" else { position = start; return nil }
        position += 1
        if let high, high < 0 { return (-1, nil) }
        return (low, high)
    }

    /// Digits without a leading zero (as in Go); -1 when the number is absurdly large.
    private mutating func parseDecimal() -> Int? {
        let start = position
        while let scalar = peek, ("0"..."9").contains(scalar) { position += 1 }
        let digits = scalars[start..<position]
        if digits.isEmpty || (digits.count > 1 && digits.first == "0") { return nil }
        if digits.count > 8 { return -1 }
        return digits.reduce(0) { $0 * 10 + Int($1.value - 48) }
    }

    /// One atom, or nil for a flag group such as `(?i)` that matches nothing itself.
    private mutating func parseAtom() throws -> RegexNode? {
        let scalar = scalars[position]
        position += 1
        switch scalar {
        case "(":
            return try parseGroup(openedAt: position - 1)
        case "[":
            return .scalars(try parseBracketClass(openedAt: position - 1))
        case ".":
            let any = ScalarSet([0...ScalarSet.maximum])
            return .scalars(flags.dotMatchesNewline ? any : ScalarSet("\n").inverted())
        case "^":
            return .assertion(flags.multiLine ? .beginLine : .beginText)
        case "$":
            return .assertion(flags.multiLine ? .endLine : .endText)
        case "\\":
            return try parseEscapeOutsideClass()
        default:
            return literal(scalar)
        }
    }

    private func literal(_ scalar: Unicode.Scalar) -> RegexNode {
        let set = ScalarSet(scalar)
        return .scalars(flags.foldCase ? set.caseFolded() : set)
    }

    /// After `(`: a capture group, a named one, a non-capturing `(?flags:…)`, or flags `(?flags)`.
    private mutating func parseGroup(openedAt start: Int) throws -> RegexNode? {
        guard depth < Self.maximumDepth else { throw failure("expression nests too deeply", pattern) }
        var name: String?
        var capturing = true
        let savedFlags = flags
        if peek == "?" {
            position += 1
            if peek == "P", scalar(at: position + 1) == "<" {
                position += 2
                name = try parseGroupName(openedAt: start)
            } else if peek == "<", scalar(at: position + 1) != "=", scalar(at: position + 1) != "!" {
                position += 1
                name = try parseGroupName(openedAt: start)
            } else {
                // `(?i)` changes the flags for the rest of the enclosing group and opens none.
                guard try parseFlags(openedAt: start) else { return nil }
                capturing = false
            }
        }
        var index = 0
        if capturing {
            groupCount += 1
            index = groupCount
            groupNames.append(name)
        }
        depth += 1
        let inner = try parseAlternation()
        depth -= 1
        guard peek == ")" else { throw failure("missing closing )", pattern) }
        position += 1
        flags = savedFlags
        return capturing ? .capture(index: index, inner) : inner
    }

    /// The name of `(?P<name>` or `(?<name>`, after the `<`: letters, digits and underscores.
    private mutating func parseGroupName(openedAt start: Int) throws -> String {
        guard let close = scalars[position...].firstIndex(of: ">") else {
            throw failure("invalid named capture", text(from: start, to: scalars.count))
        }
        let name = String(String.UnicodeScalarView(scalars[position..<close]))
        let isValid = !name.isEmpty && name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }
        guard isValid else { throw failure("invalid named capture", text(from: start, to: close + 1)) }
        position = close + 1
        return name
    }

    /// After `(?`: flags such as `i`, `-s`, `im-sU`, then `)` (true: the flags apply to the rest
    /// of the enclosing group, no group opens) or `:` (false: a non-capturing group opens).
    /// Anything else after `(?` is Perl syntax RE2 does not have: lookaround `(?=`, `(?<=`,
    /// atomic groups `(?>`, conditionals `(?(`, comments `(?#`.
    private mutating func parseFlags(openedAt start: Int) throws -> Bool {
        var updated = flags
        var negated = false
        var sawFlag = false
        while let scalar = peek {
            position += 1
            switch scalar {
            case "i": updated.foldCase = !negated
            case "m": updated.multiLine = !negated
            case "s": updated.dotMatchesNewline = !negated
            case "U": updated.ungreedy = !negated
            case "-" where !negated:
                negated = true
                sawFlag = false
                continue
            case ":" where !negated || sawFlag, ")" where !negated || sawFlag:
                flags = updated
                return scalar == ":"
            case "<" where peek == "=" || peek == "!":
                // Lookbehind: show `(?<=` or `(?<!` whole.
                position += 1
                throw failure("invalid or unsupported Perl syntax", text(from: start))
            default:
                throw failure("invalid or unsupported Perl syntax", text(from: start))
            }
            sawFlag = true
        }
        throw failure("invalid or unsupported Perl syntax", text(from: start))
    }

    // MARK: Escapes

    /// After `\` outside brackets: assertions, classes, or an escaped scalar.
    private mutating func parseEscapeOutsideClass() throws -> RegexNode {
        guard let next = peek else { throw failure("trailing backslash at end of expression", "") }
        switch next {
        case "A": position += 1; return .assertion(.beginText)
        case "z": position += 1; return .assertion(.endText)
        case "b": position += 1; return .assertion(.wordBoundary)
        case "B": position += 1; return .assertion(.notWordBoundary)
        default:
            if let set = try parseClassEscape() { return .scalars(set) }
            return literal(try parseEscapedScalar())
        }
    }

    /// `\Q…\E` at the position, as literals (the `\E` may be missing at the end).
    private mutating func parseQuotedText() -> [RegexNode] {
        position += 2
        var literals: [RegexNode] = []
        while position < scalars.count, !(scalars[position] == "\\" && scalar(at: position + 1) == "E") {
            literals.append(literal(scalars[position]))
            position += 1
        }
        if position < scalars.count { position += 2 }
        return literals
    }

    /// `\d \s \w \D \S \W` or `\pL \p{Greek} \PL \p{^L}` after the `\`; nil (nothing consumed) otherwise.
    private mutating func parseClassEscape() throws -> ScalarSet? {
        guard let letter = peek, let lowered = Unicode.Scalar(letter.value | 0x20) else { return nil }
        if let perl = NamedClasses.perl[lowered] {
            position += 1
            let set = flags.foldCase ? perl.caseFolded() : perl
            return letter == lowered ? set : set.inverted()
        }
        guard letter == "p" || letter == "P" else { return nil }
        let start = position - 1
        position += 1
        var name: String
        if peek == "{" {
            guard let close = scalars[position...].firstIndex(of: "}") else {
                throw failure("invalid character class range", text(from: start, to: scalars.count))
            }
            name = String(String.UnicodeScalarView(scalars[(position + 1)..<close]))
            position = close + 1
        } else if let single = peek {
            name = String(single)
            position += 1
        } else {
            throw failure("invalid character class range", text(from: start))
        }
        var negated = letter == "P"
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        guard var set = NamedClasses.unicode(name) else {
            throw failure("invalid character class range", text(from: start))
        }
        if flags.foldCase { set = set.caseFolded() }
        return negated ? set.inverted() : set
    }

    /// After `\`: an escaped scalar (`\n`, `\x41`, `\x{263A}`, `\101`, `\.`), or an error for
    /// what RE2 does not know, such as the backreference `\1`.
    private mutating func parseEscapedScalar() throws -> Unicode.Scalar {
        let start = position - 1
        guard let letter = peek else { throw failure("trailing backslash at end of expression", "") }
        position += 1
        switch letter {
        case "1"..."7" where !(peek.map { ("0"..."7").contains($0) } ?? false):
            // A single digit is a backreference, which RE2 does not have.
            throw failure("invalid escape sequence", text(from: start))
        case "0"..."7":
            // Octal: up to three digits.
            var value = letter.value - 48
            for _ in 0..<2 {
                guard let digit = peek, ("0"..."7").contains(digit) else { break }
                value = value * 8 + digit.value - 48
                position += 1
            }
            return Unicode.Scalar(value)!
        case "x":
            return try parseHexEscape(from: start)
        case "a": return "\u{07}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "v": return "\u{0B}"
        default:
            // Escaped ASCII punctuation stands for itself; escaped letters RE2 does not know are errors.
            if letter.isASCII, !letter.properties.isAlphabetic, !("0"..."9").contains(letter) { return letter }
            throw failure("invalid escape sequence", text(from: start))
        }
    }

    /// `\xFF` (exactly two hex digits) or `\x{10FFFF}`, after the `x`.
    private mutating func parseHexEscape(from start: Int) throws -> Unicode.Scalar {
        func hexDigit() -> UInt32? {
            guard let scalar = peek, let digit = UInt32(String(scalar), radix: 16) else { return nil }
            position += 1
            return digit
        }
        if peek == "{" {
            position += 1
            var value: UInt32 = 0
            var digits = 0
            while let digit = hexDigit() {
                digits += 1
                value = value * 16 + digit
                if value > ScalarSet.maximum { throw failure("invalid escape sequence", text(from: start)) }
            }
            guard digits > 0, peek == "}", let scalar = Unicode.Scalar(value) else {
                if position < scalars.count { position += 1 }
                throw failure("invalid escape sequence", text(from: start))
            }
            position += 1
            return scalar
        }
        guard let high = hexDigit(), let low = hexDigit() else {
            if position < scalars.count { position += 1 }
            throw failure("invalid escape sequence", text(from: start))
        }
        return Unicode.Scalar(high * 16 + low)!
    }

    // MARK: Bracket classes

    /// After `[`: a class such as `[a-z0-9_]`, `[^…]`, `[[:alpha:]]`, `[\d.]`, up to `]`.
    /// A `]` first in the class is a literal, and `-` is literal where it cannot make a range.
    private mutating func parseBracketClass(openedAt start: Int) throws -> ScalarSet {
        var set = ScalarSet()
        var negated = false
        if peek == "^" {
            negated = true
            position += 1
        }
        var first = true
        while first || peek != "]" {
            guard position < scalars.count else {
                throw failure("missing closing ]", text(from: start, to: scalars.count))
            }
            first = false
            if peek == "[", scalar(at: position + 1) == ":", let posix = try parsePosixClass() {
                set = set.union(posix)
                continue
            }
            if peek == "\\" {
                position += 1
                if let named = try parseClassEscape() {
                    set = set.union(named)
                    continue
                }
                position -= 1
            }
            let rangeStart = position
            let low = try parseClassScalar(classStart: start)
            var high = low
            if peek == "-", let after = scalar(at: position + 1), after != "]" {
                position += 1
                high = try parseClassScalar(classStart: start)
                guard high >= low else { throw failure("invalid character class range", text(from: rangeStart)) }
            }
            var range = ScalarSet([low.value...high.value])
            if flags.foldCase { range = range.caseFolded() }
            set = set.union(range)
        }
        position += 1
        return negated ? set.inverted() : set
    }

    /// `[:alpha:]` or `[:^alpha:]` at the position; nil (nothing consumed) when there is no `:]`.
    private mutating func parsePosixClass() throws -> ScalarSet? {
        let start = position
        var end = position + 2
        while end + 1 < scalars.count, !(scalars[end] == ":" && scalars[end + 1] == "]") { end += 1 }
        guard end + 1 < scalars.count else { return nil }
        var name = String(String.UnicodeScalarView(scalars[(start + 2)..<end]))
        position = end + 2
        let negated = name.hasPrefix("^")
        if negated { name.removeFirst() }
        guard var set = NamedClasses.posix[name] else {
            throw failure("invalid character class range", text(from: start))
        }
        if flags.foldCase { set = set.caseFolded() }
        return negated ? set.inverted() : set
    }

    /// One scalar inside brackets, escaped or not.
    private mutating func parseClassScalar(classStart: Int) throws -> Unicode.Scalar {
        guard let scalar = peek else { throw failure("missing closing ]", text(from: classStart, to: scalars.count)) }
        position += 1
        guard scalar == "\\" else { return scalar }
        return try parseEscapedScalar()
    }

    // MARK: Reading

    private var peek: Unicode.Scalar? { scalar(at: position) }

    private func scalar(at index: Int) -> Unicode.Scalar? {
        index < scalars.count ? scalars[index] : nil
    }

    private func text(from start: Int, to end: Int? = nil) -> String {
        String(String.UnicodeScalarView(scalars[start..<(end ?? position)]))
    }

    /// An error in Go's words: "missing closing ): `(a`".
    private func failure(_ problem: String, _ fragment: String) -> InvalidRegularExpression {
        InvalidRegularExpression(pattern: pattern, reason: "\(problem): `\(fragment)`")
    }
}

// MARK: - The program
