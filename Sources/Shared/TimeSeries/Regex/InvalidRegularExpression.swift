/// A label matcher's pattern that is not a valid regular expression.
public struct InvalidRegularExpression: Error, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    /// What is wrong, in Go's words, such as "invalid escape sequence: `\1`".
    public let reason: String

    public var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
}

// MARK: - The tree
