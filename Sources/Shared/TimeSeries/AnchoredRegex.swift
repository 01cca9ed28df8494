import Foundation

/// A regular expression that must match a whole string, as label matchers require.
///
/// Prometheus uses RE2 syntax; for the patterns label matchers use (alternation, classes,
/// repetition, `.*`) Foundation's ICU engine agrees with it.
package struct AnchoredRegex: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented as safe to share between threads.
    private let expression: NSRegularExpression
    /// The pattern as written, without the anchors.
    package let pattern: String

    /// - Parameter dotMatchesNewline: whether `.` matches a line feed too, as in Prometheus 3
    ///   (in Prometheus 2 it does not).
    package init(_ pattern: String, dotMatchesNewline: Bool = true) throws {
        self.pattern = pattern
        do {
            // RE2 writes a named group (?P<name>…); ICU knows it as (?<name>…).
            let translated = pattern.replacingOccurrences(of: "(?P<", with: "(?<")
            expression = try NSRegularExpression(pattern: "^(?:" + translated + ")$", options: dotMatchesNewline ? [.dotMatchesLineSeparators] : [])
        } catch {
            throw InvalidRegularExpression(pattern: pattern)
        }
    }

    /// The capture groups of a whole-string match of `text` (group 0 is the whole text, an
    /// unmatched group is ""), or nil when it does not match.
    package func captures(in text: String) -> [String]? {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = expression.firstMatch(in: text, options: [], range: range) else { return nil }
        return (0..<match.numberOfRanges).map { group in
            guard let found = Range(match.range(at: group), in: text) else { return "" }
            return String(text[found])
        }
    }

    /// The names of the pattern's named groups, by group number.
    package func groupNumber(named name: String) -> Int? {
        // NSRegularExpression reports named groups only through match ranges; find them in the pattern.
        var number = 0
        var index = pattern.startIndex
        while index < pattern.endIndex {
            let character = pattern[index]
            if character == "\\" {
                index = pattern.index(after: index)
                if index < pattern.endIndex { index = pattern.index(after: index) }
                continue
            }
            if character == "(" {
                let rest = pattern[pattern.index(after: index)...]
                if !rest.hasPrefix("?") || rest.hasPrefix("?P<") || (rest.hasPrefix("?<") && !rest.hasPrefix("?<=") && !rest.hasPrefix("?<!")) {
                    number += 1
                    for prefix in ["?P<", "?<"] where rest.hasPrefix(prefix) {
                        let nameStart = rest.index(rest.startIndex, offsetBy: prefix.count)
                        if let close = rest[nameStart...].firstIndex(of: ">"), rest[nameStart..<close] == name { return number }
                    }
                }
            }
            index = pattern.index(after: index)
        }
        return nil
    }

    package func matches(_ text: String) -> Bool {
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
