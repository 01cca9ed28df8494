/// A regular expression in RE2 syntax that must match a whole string, as label matchers require.
///
/// Prometheus compiles a matcher's pattern with Go's `regexp` package, which implements RE2:
/// `v=~"5.."` is compiled as `^(?:5..)$`, so `foo` matches `foo` and not `foobar`. RE2 promises
/// time linear in the length of the text, which is why it has no backreferences and no
/// lookaround. This engine keeps that promise the same way RE2 does:
///
/// 1. a parser turns the pattern into a tree (`RegexNode`), rejecting what RE2 rejects with
///    RE2's messages;
/// 2. a compiler turns the tree into a small program of instructions (`RegexProgram`);
/// 3. a Pike VM runs the program over the text one Unicode scalar at a time, keeping every
///    possible position in the program at once instead of trying one and backtracking. Each
///    scalar costs at most one step per instruction, so `(a+)+b` over forty `a`s is as quick
///    as `a*b`.
///
/// Thread priority in the Pike VM gives Go's leftmost-first submatches (the first alternative
/// wins, greedy repetition takes as much as it can), which `label_replace` relies on.
/// Syntax: https://github.com/google/re2/wiki/Syntax
package struct AnchoredRegex: Sendable {
    /// The pattern as written, without the anchors.
    package let pattern: String
    private let program: RegexProgram

    /// Compiles `pattern`; throws `InvalidRegularExpression` for what RE2 rejects.
    ///
    /// - Parameter dotMatchesNewline: whether `.` matches a line feed too, as in Prometheus 3
    ///   (which compiles `^(?s:pattern)$`); in Prometheus 2 it does not. `(?s)` and `(?-s)`
    ///   in the pattern still decide for their part of it.
    package init(_ pattern: String, dotMatchesNewline: Bool = true) throws {
        self.pattern = pattern
        var parser = RegexParser(pattern: pattern, flags: RegexFlags(dotMatchesNewline: dotMatchesNewline))
        let tree = try parser.parseWholePattern()
        program = try RegexCompiler.compile(tree, groupCount: parser.groupCount, groupNames: parser.groupNames, pattern: pattern)
    }

    /// Whether the whole of `text` matches.
    package func matches(_ text: String) -> Bool {
        PikeVM(program: program, text: Array(text.unicodeScalars)).matchesWholeText()
    }

    /// The capture groups of a whole-string match of `text` (group 0 is the whole text, an
    /// unmatched group is ""), or nil when it does not match.
    package func captures(in text: String) -> [String]? {
        let scalars = Array(text.unicodeScalars)
        guard let slots = PikeVM(program: program, text: scalars).preferredMatch() else { return nil }
        return (0...program.groupCount).map { group in
            // The match is anchored at both ends, so group 0 is always the whole text.
            if group == 0 { return text }
            let start = slots[2 * group], end = slots[2 * group + 1]
            guard start >= 0, end >= start else { return "" }
            return String(String.UnicodeScalarView(scalars[start..<end]))
        }
    }

    /// The number of the first group named `name` by `(?P<name>…)` or `(?<name>…)`.
    package func groupNumber(named name: String) -> Int? {
        program.groupNames.firstIndex(of: name)
    }
}

/// A label matcher's pattern that is not a valid regular expression.
public struct InvalidRegularExpression: Error, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    /// What is wrong, in Go's words, such as "invalid escape sequence: `\1`".
    public let reason: String

    public var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
}

// MARK: - The tree

/// A parsed regular expression.
private indirect enum RegexNode {
    case empty
    /// One Unicode scalar, or any of a set of them (a class, `.`, or a letter under `(?i)`).
    case scalars(ScalarSet)
    /// A zero-width condition on the position: `^`, `$`, `\A`, `\z`, `\b`, `\B`.
    case assertion(RegexAssertion)
    case capture(index: Int, RegexNode)
    case concatenation([RegexNode])
    case alternation([RegexNode])
    /// `max` nil: no upper bound.
    case repetition(RegexNode, min: Int, max: Int?, greedy: Bool)

    /// Whether it can match the empty string.
    var isNullable: Bool {
        switch self {
        case .empty, .assertion: true
        case .scalars: false
        case .capture(_, let inner): inner.isNullable
        case .concatenation(let items): items.allSatisfy(\.isNullable)
        case .alternation(let branches): branches.contains(where: \.isNullable)
        case .repetition(let inner, let min, _, _): min == 0 || inner.isNullable
        }
    }
}

private enum RegexAssertion: Sendable {
    case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary

    /// Whether the position between `previous` and `next` (nil at either end of the text) satisfies it.
    func holds(after previous: Unicode.Scalar?, before next: Unicode.Scalar?) -> Bool {
        switch self {
        case .beginText: previous == nil
        case .endText: next == nil
        case .beginLine: previous == nil || previous == "\n"
        case .endLine: next == nil || next == "\n"
        case .wordBoundary: Self.isWord(previous) != Self.isWord(next)
        case .notWordBoundary: Self.isWord(previous) == Self.isWord(next)
        }
    }

    /// RE2's `\b` knows ASCII word characters only: `[0-9A-Za-z_]`.
    private static func isWord(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar, scalar.isASCII else { return false }
        return scalar == "_" || ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}

/// The flags `(?imsU)` switch: they last to the end of the group that sets them.
private struct RegexFlags {
    /// `i`: letters match either case.
    var foldCase = false
    /// `m`: `^` and `$` match at line breaks too.
    var multiLine = false
    /// `s`: `.` matches a line feed.
    var dotMatchesNewline: Bool
    /// `U`: `*` is lazy and `*?` greedy.
    var ungreedy = false
}

// MARK: - Sets of scalars

/// A set of Unicode scalars as sorted, disjoint, non-adjacent ranges of their values.
private struct ScalarSet: Sendable {
    private(set) var ranges: [ClosedRange<UInt32>] = []

    static let maximum: UInt32 = 0x10FFFF

    /// The set of the scalars in `ranges`, which may overlap and come in any order.
    init(_ ranges: [ClosedRange<UInt32>] = []) {
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = self.ranges.last, range.lowerBound <= last.upperBound + 1 {
                self.ranges[self.ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                self.ranges.append(range)
            }
        }
    }

    init(_ scalar: Unicode.Scalar) {
        ranges = [scalar.value...scalar.value]
    }

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < value { low = middle + 1 } else { high = middle }
        }
        return low < ranges.count && ranges[low].contains(value)
    }

    func union(_ other: ScalarSet) -> ScalarSet {
        ScalarSet(ranges + other.ranges)
    }

    /// Every scalar not in the set (surrogate values are not scalars and never match anyway).
    func inverted() -> ScalarSet {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound + 1
        }
        if next <= Self.maximum { result.append(next...Self.maximum) }
        return ScalarSet(result)
    }

    /// The set with every letter's other cases added, as `(?i)` wants.
    func caseFolded() -> ScalarSet {
        var added: [ClosedRange<UInt32>] = []
        let size = ranges.reduce(0) { $0 + $1.count }
        if size <= 64 {
            // A few letters: look each one up.
            for value in ranges.joined() {
                guard let orbit = CaseFolding.orbitIndex[value] else { continue }
                added += CaseFolding.orbits[orbit].map { $0...$0 }
            }
        } else {
            for orbit in CaseFolding.orbits where orbit.contains(where: { contains(Unicode.Scalar($0)!) }) {
                added += orbit.map { $0...$0 }
            }
        }
        return ScalarSet(ranges + added)
    }
}

/// Go's simple case folding: the scalars that `(?i)` treats as the same letter, such as
/// k, K and the Kelvin sign K, or s, S and the long s ſ.
private enum CaseFolding {
    /// The groups of two or more scalars that fold together, built once from the Unicode
    /// case mappings: two scalars belong together when uppercasing then lowercasing them
    /// (each only where the mapping is a single scalar) gives the same scalar.
    static let orbits: [[UInt32]] = {
        var byKey: [UInt32: [UInt32]] = [:]
        for value in UInt32(0)...0x1FFFF {
            guard let scalar = Unicode.Scalar(value), scalar.properties.changesWhenCaseMapped else { continue }
            // Go folds the Turkish dotted and dotless i only to themselves.
            if value == 0x130 || value == 0x131 { continue }
            byKey[key(scalar).value, default: []].append(value)
        }
        return byKey.map { key, members in Array(Set(members + [key])).sorted() }.filter { $0.count > 1 }
    }()

    /// For each scalar in an orbit, the orbit's index in `orbits`.
    static let orbitIndex: [UInt32: Int] = {
        var index: [UInt32: Int] = [:]
        for (number, orbit) in orbits.enumerated() {
            for value in orbit { index[value] = number }
        }
        return index
    }()

    private static func key(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let upper = single(scalar.properties.uppercaseMapping) ?? scalar
        return single(upper.properties.lowercaseMapping) ?? upper
    }

    private static func single(_ text: String) -> Unicode.Scalar? {
        let scalars = text.unicodeScalars
        return scalars.count == 1 ? scalars.first : nil
    }
}

/// The named classes: Perl's `\d \s \w`, POSIX's `[:alpha:]`, Unicode's `\p{…}`.
private enum NamedClasses {
    static func ascii(_ ranges: [ClosedRange<Unicode.Scalar>]) -> ScalarSet {
        ScalarSet(ranges.map { $0.lowerBound.value...$0.upperBound.value })
    }

    /// `\d \s \w`: ASCII only, as in RE2 (`\s` is `[\t\n\f\r ]`, without `\v`).
    static let perl: [Unicode.Scalar: ScalarSet] = [
        "d": ascii(["0"..."9"]),
        "s": ascii(["\t"..."\n", "\u{0C}"..."\r", " "..." "]),
        "w": ascii(["0"..."9", "A"..."Z", "a"..."z", "_"..."_"]),
    ]

    /// `[[:name:]]` inside brackets.
    static let posix: [String: ScalarSet] = [
        "alnum": ascii(["0"..."9", "A"..."Z", "a"..."z"]),
        "alpha": ascii(["A"..."Z", "a"..."z"]),
        "ascii": ascii(["\u{0}"..."\u{7F}"]),
        "blank": ascii(["\t"..."\t", " "..." "]),
        "cntrl": ascii(["\u{0}"..."\u{1F}", "\u{7F}"..."\u{7F}"]),
        "digit": ascii(["0"..."9"]),
        "graph": ascii(["!"..."~"]),
        "lower": ascii(["a"..."z"]),
        "print": ascii([" "..."~"]),
        "punct": ascii(["!"..."/", ":"..."@", "["..."`", "{"..."~"]),
        "space": ascii(["\t"..."\r", " "..." "]),
        "upper": ascii(["A"..."Z"]),
        "word": ascii(["0"..."9", "A"..."Z", "a"..."z", "_"..."_"]),
        "xdigit": ascii(["0"..."9", "A"..."F", "a"..."f"]),
    ]

    /// `\p{name}`: Go's general categories (`C` is Cc, Cf, Co and Cs, as in Go), `Any`, and
    /// four common scripts; nil for any other name.
    static func unicode(_ name: String) -> ScalarSet? {
        if name == "Any" { return ScalarSet([0...ScalarSet.maximum]) }
        if let script = scripts[name] { return ScalarSet(script) }
        let categories: [Unicode.GeneralCategory]
        if name.count == 1 {
            categories = Self.categoryCodes.filter { $0.key.hasPrefix(name) && $0.key != "Cn" }.map(\.value)
        } else if let category = categoryCodes[name], name != "Cn" {
            categories = [category]
        } else {
            return nil
        }
        guard !categories.isEmpty else { return nil }
        var set = ScalarSet()
        for category in categories { set = set.union(categoryTable[category] ?? ScalarSet()) }
        return set
    }

    private static let categoryCodes: [String: Unicode.GeneralCategory] = [
        "Lu": .uppercaseLetter, "Ll": .lowercaseLetter, "Lt": .titlecaseLetter, "Lm": .modifierLetter, "Lo": .otherLetter,
        "Mn": .nonspacingMark, "Mc": .spacingMark, "Me": .enclosingMark,
        "Nd": .decimalNumber, "Nl": .letterNumber, "No": .otherNumber,
        "Pc": .connectorPunctuation, "Pd": .dashPunctuation, "Ps": .openPunctuation, "Pe": .closePunctuation,
        "Pi": .initialPunctuation, "Pf": .finalPunctuation, "Po": .otherPunctuation,
        "Sm": .mathSymbol, "Sc": .currencySymbol, "Sk": .modifierSymbol, "So": .otherSymbol,
        "Zs": .spaceSeparator, "Zl": .lineSeparator, "Zp": .paragraphSeparator,
        "Cc": .control, "Cf": .format, "Cs": .surrogate, "Co": .privateUse, "Cn": .unassigned,
    ]

    /// Every scalar's general category, read once from the standard library's Unicode data.
    private static let categoryTable: [Unicode.GeneralCategory: ScalarSet] = {
        var ranges: [Unicode.GeneralCategory: [ClosedRange<UInt32>]] = [:]
        var start: UInt32 = 0
        var current: Unicode.GeneralCategory?
        func close(at end: UInt32) {
            if let current { ranges[current, default: []].append(start...end) }
        }
        for value in UInt32(0)...ScalarSet.maximum {
            let category = Unicode.Scalar(value)?.properties.generalCategory
            if category != current {
                if value > 0 { close(at: value - 1) }
                start = value
                current = category
            }
        }
        close(at: ScalarSet.maximum)
        return ranges.mapValues { ScalarSet($0) }
    }()

    /// Unicode's Scripts.txt (Script, not Script_Extensions) for the scripts label values
    /// most often hold; the standard library does not expose scripts, so the ranges are here.
    private static let scripts: [String: [ClosedRange<UInt32>]] = [
        "Latin": [
            0x41...0x5A, 0x61...0x7A, 0xAA...0xAA, 0xBA...0xBA, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2B8, 0x2E0...0x2E4,
            0x1D00...0x1D25, 0x1D2C...0x1D5C, 0x1D62...0x1D65, 0x1D6B...0x1D77, 0x1D79...0x1DBE, 0x1E00...0x1EFF,
            0x2071...0x2071, 0x207F...0x207F, 0x2090...0x209C, 0x212A...0x212B, 0x2132...0x2132, 0x214E...0x214E,
            0x2160...0x2188, 0x2C60...0x2C7F, 0xA722...0xA787, 0xA78B...0xA7CA, 0xA7D0...0xA7D1, 0xA7D3...0xA7D3,
            0xA7D5...0xA7D9, 0xA7F2...0xA7FF, 0xAB30...0xAB5A, 0xAB5C...0xAB64, 0xAB66...0xAB69, 0xFB00...0xFB06,
            0xFF21...0xFF3A, 0xFF41...0xFF5A, 0x10780...0x10785, 0x10787...0x107B0, 0x107B2...0x107BA, 0x1DF00...0x1DF1E,
        ],
        "Greek": [
            0x370...0x373, 0x375...0x377, 0x37A...0x37D, 0x37F...0x37F, 0x384...0x384, 0x386...0x386, 0x388...0x38A,
            0x38C...0x38C, 0x38E...0x3A1, 0x3A3...0x3E1, 0x3F0...0x3FF, 0x1D26...0x1D2A, 0x1D5D...0x1D61, 0x1D66...0x1D6A,
            0x1DBF...0x1DBF, 0x1F00...0x1F15, 0x1F18...0x1F1D, 0x1F20...0x1F45, 0x1F48...0x1F4D, 0x1F50...0x1F57,
            0x1F59...0x1F59, 0x1F5B...0x1F5B, 0x1F5D...0x1F5D, 0x1F5F...0x1F7D, 0x1F80...0x1FB4, 0x1FB6...0x1FC4,
            0x1FC6...0x1FD3, 0x1FD6...0x1FDB, 0x1FDD...0x1FEF, 0x1FF2...0x1FF4, 0x1FF6...0x1FFE, 0x2126...0x2126,
            0xAB65...0xAB65, 0x10140...0x1018E, 0x101A0...0x101A0, 0x1D200...0x1D245,
        ],
        "Cyrillic": [
            0x400...0x484, 0x487...0x52F, 0x1C80...0x1C88, 0x1D2B...0x1D2B, 0x1D78...0x1D78, 0x2DE0...0x2DFF,
            0xA640...0xA69F, 0xFE2E...0xFE2F,
        ],
        "Han": [
            0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x3005...0x3005, 0x3007...0x3007, 0x3021...0x3029,
            0x3038...0x303B, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFA6D, 0xFA70...0xFAD9, 0x16FE2...0x16FE3,
            0x16FF0...0x16FF1, 0x20000...0x2A6DF, 0x2A700...0x2B738, 0x2B740...0x2B81D, 0x2B820...0x2CEA1, 0x2CEB0...0x2EBE0,
            0x2F800...0x2FA1D, 0x30000...0x3134A,
        ],
    ]
}

// MARK: - The parser

/// Reads RE2 syntax into a `RegexNode`, by recursive descent: an alternation is
/// concatenations separated by `|`, a concatenation is repeated atoms.
private struct RegexParser {
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

/// One step of a compiled regular expression. Instructions other than `split` and `jump`
/// continue with the next one.
private enum RegexInstruction: Sendable {
    /// Consume one scalar from the set (index into `RegexProgram.sets`).
    case consume(set: Int)
    /// Consume this scalar: the common case of `consume`, checked without a search.
    case consumeScalar(Unicode.Scalar)
    /// Try `preferred` first, then `other`: how alternation and repetition branch.
    case split(preferred: Int, other: Int)
    case jump(Int)
    /// Record the current position in capture slot `slot` (2n: group n starts, 2n+1: ends).
    case save(slot: Int)
    case assert(RegexAssertion)
    /// The whole text has matched.
    case match
}

/// A compiled regular expression: instructions, the sets of scalars they consume, and the groups.
private struct RegexProgram: Sendable {
    var instructions: [RegexInstruction] = []
    var sets: [ScalarSet] = []
    var groupCount = 0
    var groupNames: [String?] = []
    /// For the instruction after each consuming one (and the first), the consuming and match
    /// instructions reachable from it without consuming: worked out once here instead of at
    /// every scalar. Nil where an assertion is on the way (its answer depends on the text),
    /// and for large programs.
    var followers: [[Int]?] = []

    /// Programs up to this size get `followers`.
    static let maximumSizeWithFollowers = 1_000

    mutating func computeFollowers() {
        followers = Array(repeating: nil, count: instructions.count)
        guard instructions.count <= Self.maximumSizeWithFollowers else { return }
        for pc in instructions.indices {
            if pc == 0 { followers[pc] = reachableWithoutConsuming(from: pc); continue }
            switch instructions[pc - 1] {
            case .consume, .consumeScalar: followers[pc] = reachableWithoutConsuming(from: pc)
            default: continue
            }
        }
    }

    private func reachableWithoutConsuming(from start: Int) -> [Int]? {
        var found: [Int] = [], stack = [start]
        var seen = Set<Int>()
        while let pc = stack.popLast() {
            guard seen.insert(pc).inserted else { continue }
            switch instructions[pc] {
            case .consume, .consumeScalar, .match: found.append(pc)
            case .jump(let target): stack.append(target)
            case .split(let preferred, let other): stack += [other, preferred]
            case .save: stack.append(pc + 1)
            case .assert: return nil
            }
        }
        return found
    }
}


/// Turns a tree into a program, as Go's `regexp/syntax` compiler does: counted repetition is
/// written out (`x{2,4}` is `xx(x(x)?)?`), and `x*` of an `x` that can match empty is
/// `(x+)?`, which keeps Go's order of preference.
private struct RegexCompiler {
    private var program = RegexProgram()
    private let pattern: String

    /// Go refuses programs that large; repetition multiplies a pattern's size.
    static let maximumInstructions = 500_000

    private init(pattern: String) {
        self.pattern = pattern
    }

    static func compile(_ tree: RegexNode, groupCount: Int, groupNames: [String?], pattern: String) throws -> RegexProgram {
        var compiler = RegexCompiler(pattern: pattern)
        // Group 0 is the whole text, since the match is anchored at both ends: no need to save it.
        try compiler.emit(tree)
        compiler.append(.match)
        compiler.program.groupCount = groupCount
        compiler.program.groupNames = groupNames
        compiler.program.computeFollowers()
        return compiler.program
    }

    @discardableResult
    private mutating func append(_ instruction: RegexInstruction) -> Int {
        program.instructions.append(instruction)
        return program.instructions.count - 1
    }

    private var next: Int { program.instructions.count }

    private mutating func emit(_ node: RegexNode) throws {
        guard next < Self.maximumInstructions else {
            throw InvalidRegularExpression(pattern: pattern, reason: "expression too large")
        }
        switch node {
        case .empty:
            break
        case .scalars(let set):
            if set.ranges.count == 1, set.ranges[0].count == 1, let scalar = Unicode.Scalar(set.ranges[0].lowerBound) {
                append(.consumeScalar(scalar))
            } else {
                program.sets.append(set)
                append(.consume(set: program.sets.count - 1))
            }
        case .assertion(let assertion):
            append(.assert(assertion))
        case .capture(let index, let inner):
            append(.save(slot: 2 * index))
            try emit(inner)
            append(.save(slot: 2 * index + 1))
        case .concatenation(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            var exits: [Int] = []
            for branch in branches.dropLast() {
                let split = append(.split(preferred: next + 1, other: -1))
                try emit(branch)
                exits.append(append(.jump(-1)))
                program.instructions[split] = .split(preferred: split + 1, other: next)
            }
            try emit(branches[branches.count - 1])
            for exit in exits { program.instructions[exit] = .jump(next) }
        case .repetition(let inner, let min, let max, let greedy):
            try emitRepetition(inner, min: min, max: max, greedy: greedy)
        }
    }

    private mutating func emitRepetition(_ inner: RegexNode, min: Int, max: Int?, greedy: Bool) throws {
        guard let max else {
            // x{n,} is n-1 copies of x, then x+; x{0,} is x*.
            guard min > 0 else { return try emitStar(inner, greedy: greedy) }
            for _ in 1..<min { try emit(inner) }
            return try emitPlus(inner, greedy: greedy)
        }
        for _ in 0..<min { try emit(inner) }
        // x{n,m}: then m-n nested optional copies, (x(x)?)?, so each later copy needs the one before.
        var exits: [Int] = []
        for _ in min..<max {
            exits.append(append(.split(preferred: -1, other: -1)))
            try emit(inner)
        }
        for split in exits {
            program.instructions[split] = greedy ? .split(preferred: split + 1, other: next) : .split(preferred: next, other: split + 1)
        }
    }

    /// x+: x, then a branch back to it.
    private mutating func emitPlus(_ inner: RegexNode, greedy: Bool) throws {
        let start = next
        try emit(inner)
        let split = next
        append(greedy ? .split(preferred: start, other: split + 1) : .split(preferred: split + 1, other: start))
    }

    /// x*: a branch into x or past it, and from the end of x back to the branch.
    private mutating func emitStar(_ inner: RegexNode, greedy: Bool) throws {
        if inner.isNullable {
            // (x+)?: looping straight back would let an empty x end the loop too early (Go issue 46123).
            let split = append(.split(preferred: -1, other: -1))
            try emitPlus(inner, greedy: greedy)
            program.instructions[split] = greedy ? .split(preferred: split + 1, other: next) : .split(preferred: next, other: split + 1)
            return
        }
        let split = append(.split(preferred: -1, other: -1))
        try emit(inner)
        append(.jump(split))
        program.instructions[split] = greedy ? .split(preferred: split + 1, other: next) : .split(preferred: next, other: split + 1)
    }
}

// MARK: - The Pike VM

/// Runs a program over a text, all threads in step: after each scalar, the set of program
/// positions still alive, in order of preference. A position reached twice at the same
/// scalar is kept once (the first, preferred arrival), which bounds the work per scalar by
/// the program's size: that is what makes the time linear.
private struct PikeVM {
    let program: RegexProgram
    let text: [Unicode.Scalar]

    /// The threads alive at one position in the text, in order of preference, each with its
    /// capture slots: a sparse set, so adding, testing and clearing take constant time.
    private struct ThreadList {
        var pcs: [Int] = []
        var slots: [[Int]] = []
        var indexOf: [Int]

        init(size: Int) {
            indexOf = Array(repeating: -1, count: size)
        }

        func contains(_ pc: Int) -> Bool {
            let index = indexOf[pc]
            return index >= 0 && index < pcs.count && pcs[index] == pc
        }

        mutating func insert(_ pc: Int, slots threadSlots: [Int]) {
            indexOf[pc] = pcs.count
            pcs.append(pc)
            slots.append(threadSlots)
        }

        mutating func removeAll() {
            pcs.removeAll(keepingCapacity: true)
            slots.removeAll(keepingCapacity: true)
        }
    }

    /// What to do next while following branches: explore an instruction, or put a capture
    /// slot back as it was before a `save` on a branch that has been explored.
    private enum Work {
        case explore(Int)
        case restore(slot: Int, value: Int)
    }

    /// Whether the instruction at `pc` consumes `scalar`.
    private func consumes(_ pc: Int, _ scalar: Unicode.Scalar) -> Bool {
        switch program.instructions[pc] {
        case .consumeScalar(let expected): scalar == expected
        case .consume(let set): program.sets[set].contains(scalar)
        default: false
        }
    }

    /// Whether the whole text matches: the simulation `run` makes, without capture slots and
    /// without an order of preference, so a thread is just an instruction number. `added[pc]`
    /// holds the last text position for which `pc` was added, so nothing needs clearing.
    func matchesWholeText() -> Bool {
        var current: [Int] = [], next: [Int] = [], stack: [Int] = []
        var added = Array(repeating: -1, count: program.instructions.count)
        addThreads(from: 0, at: 0, to: &current, added: &added, stack: &stack)
        for position in 0..<text.count {
            let scalar = text[position]
            for pc in current where consumes(pc, scalar) {
                addThreads(from: pc + 1, at: position + 1, to: &next, added: &added, stack: &stack)
            }
            if next.isEmpty { return false }
            swap(&current, &next)
            next.removeAll(keepingCapacity: true)
        }
        return current.contains { pc in
            if case .match = program.instructions[pc] { true } else { false }
        }
    }

    /// `add` without capture slots.
    private func addThreads(from start: Int, at position: Int, to list: inout [Int], added: inout [Int], stack: inout [Int]) {
        if let followers = program.followers[start] {
            for pc in followers where added[pc] != position {
                added[pc] = position
                list.append(pc)
            }
            return
        }
        stack.append(start)
        while let pc = stack.popLast() {
            guard added[pc] != position else { continue }
            added[pc] = position
            switch program.instructions[pc] {
            case .consume, .consumeScalar, .match:
                list.append(pc)
            case .jump(let target):
                stack.append(target)
            case .split(let preferred, let other):
                stack.append(other)
                stack.append(preferred)
            case .save:
                stack.append(pc + 1)
            case .assert(let assertion):
                let previous = position > 0 ? text[position - 1] : nil
                let following = position < text.count ? text[position] : nil
                if assertion.holds(after: previous, before: following) { stack.append(pc + 1) }
            }
        }
    }

    /// The capture slots of the preferred match of the whole text, or nil.
    func preferredMatch() -> [Int]? {
        let size = program.instructions.count
        var current = ThreadList(size: size)
        var next = ThreadList(size: size)
        var work: [Work] = []
        var slots = Array(repeating: -1, count: 2 * (program.groupCount + 1))
        add(0, at: 0, to: &current, slots: &slots, work: &work)
        for position in 0...text.count {
            if current.pcs.isEmpty { return nil }
            let scalar = position < text.count ? text[position] : nil
            for (index, pc) in current.pcs.enumerated() {
                switch program.instructions[pc] {
                case .match:
                    // Only a match at the end of the text counts, and the first one is the preferred one.
                    if scalar == nil { return current.slots[index] }
                case .consume, .consumeScalar:
                    guard let scalar, consumes(pc, scalar) else { continue }
                    slots = current.slots[index]
                    add(pc + 1, at: position + 1, to: &next, slots: &slots, work: &work)
                default:
                    continue
                }
            }
            swap(&current, &next)
            next.removeAll()
        }
        return nil
    }

    /// Adds the thread at `pc` and everything reachable from it without consuming a scalar
    /// (branches, jumps, saves, assertions that hold at `position`), preferred ones first.
    private func add(_ pc: Int, at position: Int, to list: inout ThreadList, slots: inout [Int], work: inout [Work]) {
        let previous = position > 0 ? text[position - 1] : nil
        let following = position < text.count ? text[position] : nil
        work.append(.explore(pc))
        while let item = work.popLast() {
            switch item {
            case .restore(let slot, let value):
                slots[slot] = value
            case .explore(let pc):
                guard !list.contains(pc) else { continue }
                list.insert(pc, slots: [])
                switch program.instructions[pc] {
                case .consume, .consumeScalar, .match:
                    list.slots[list.slots.count - 1] = slots
                case .jump(let target):
                    work.append(.explore(target))
                case .split(let preferred, let other):
                    work.append(.explore(other))
                    work.append(.explore(preferred))
                case .save(let slot):
                    work.append(.restore(slot: slot, value: slots[slot]))
                    slots[slot] = position
                    work.append(.explore(pc + 1))
                case .assert(let assertion):
                    if assertion.holds(after: previous, before: following) { work.append(.explore(pc + 1)) }
                }
            }
        }
    }
}
