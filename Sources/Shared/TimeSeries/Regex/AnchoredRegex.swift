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
