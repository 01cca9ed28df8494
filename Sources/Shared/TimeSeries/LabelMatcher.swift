import Instrumentation

/// A condition on one label, as in `{code=~"5.."}`.
///
/// A missing label reads as the empty string, so `{team=""}` selects series without a
/// `team` label and `{team!=""}` those with one. Regular expressions are anchored at both
/// ends, as Prometheus does: `code=~"5.."` matches `500`, not `1500`.
public struct LabelMatcher: Sendable, CustomStringConvertible {
    /// The four kinds of matcher.
    public enum Kind: String, Sendable {
        case equal = "=", notEqual = "!=", matchesRegex = "=~", notMatchesRegex = "!~"
    }

    public let name: String
    public let kind: Kind
    public let value: String
    private let regex: AnchoredRegex?

    /// A matcher; throws when a regular expression does not compile.
    ///
    /// - Parameter dotMatchesNewline: whether `.` in a regular expression matches a line feed,
    ///   as in Prometheus 3 (true, the default); Prometheus 2's `.` does not.
    public init(_ name: String, _ kind: Kind, _ value: String, dotMatchesNewline: Bool = true) throws {
        self.name = name
        self.kind = kind
        self.value = value
        regex = kind == .matchesRegex || kind == .notMatchesRegex ? try AnchoredRegex(value, dotMatchesNewline: dotMatchesNewline) : nil
    }

    /// Whether a label whose value is `candidate` ("" when absent) satisfies this matcher.
    public func matches(_ candidate: String) -> Bool {
        switch kind {
        case .equal: candidate == value
        case .notEqual: candidate != value
        case .matchesRegex: regex!.matches(candidate)
        case .notMatchesRegex: !regex!.matches(candidate)
        }
    }

    public var description: String {
        "\(name)\(kind.rawValue)\"\(LabelEscaping.escaped(value))\""
    }
}
