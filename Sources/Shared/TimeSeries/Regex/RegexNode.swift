/// A parsed regular expression.
indirect enum RegexNode {
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

enum RegexAssertion: Sendable {
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
struct RegexFlags {
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
