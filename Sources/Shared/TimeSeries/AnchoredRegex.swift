import Foundation

/// A regular expression that must match a whole string, as label matchers require.
///
/// Prometheus uses RE2 syntax; for the patterns label matchers use (alternation, classes,
/// repetition, `.*`) Foundation's ICU engine agrees with it.
struct AnchoredRegex: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented as safe to share between threads.
    private let expression: NSRegularExpression

    init(_ pattern: String) throws {
        do {
            expression = try NSRegularExpression(pattern: "^(?:" + pattern + ")$")
        } catch {
            throw InvalidRegularExpression(pattern: pattern)
        }
    }

    func matches(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..., in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }
}

/// A label matcher's pattern that is not a valid regular expression.
public struct InvalidRegularExpression: Error, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String

    public var description: String { "invalid regular expression \"\(pattern)\"" }
}
