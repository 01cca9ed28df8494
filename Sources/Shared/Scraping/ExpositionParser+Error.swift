/// Why an exposition could not be read, and on which line.
///
/// The parser stops at the first problem: the line number (1-based) points at it and the
/// reason says what was expected there, as in `line 7: expected '=' after label name "method"`.
public struct ExpositionParseError: Error, Equatable, CustomStringConvertible {
    /// The line the problem is on, counting from 1.
    public let line: Int
    /// What is wrong, in words, quoting the offending text where that helps.
    public let reason: String

    /// An error on `line` for `reason`.
    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    /// `line N: reason`.
    public var description: String {
        "line \(line): \(reason)"
    }
}
