/// One check of a lesson's exercise: a title saying what is checked, and the check itself.
///
/// The body calls the code under test (the learner's exercise or the reference solution)
/// and throws `CheckFailure` with what was expected and what was found when it is wrong.
public struct Check: Sendable {
    public let title: String
    let body: @Sendable () throws -> Void

    public init(_ title: String, _ body: @escaping @Sendable () throws -> Void) {
        self.title = title
        self.body = body
    }
}

/// An exercise function's answer differed from the expected one.
public struct CheckFailure: Error, Equatable {
    public let expected: String
    public let found: String
    /// The input that was given, when the check names one (a generated check always does).
    public let input: String?
    /// The generator's seed, for a generated check: the same seed gives the same inputs.
    public let seed: UInt64?

    public init(expected: String, found: String, input: String? = nil, seed: UInt64? = nil) {
        self.expected = expected
        self.found = found
        self.input = input
        self.seed = seed
    }
}

/// What an exercise throws until the learner writes it.
///
/// The checks tell this apart from a wrong answer, so an untouched exercise is reported
/// as "not attempted yet" with the file to edit, not as a list of failures.
public struct NotAttemptedYet: Error, Equatable {
    public init() {}
}

/// Throws a `CheckFailure` unless `found == expected`; text is shown as written, escapes visible.
public func expectEqual<Value: Equatable>(_ found: Value, _ expected: Value) throws {
    guard found != expected else { return }
    throw CheckFailure(expected: shown(expected), found: shown(found))
}

/// Throws a `CheckFailure` naming `input` unless `found == expected`.
public func expectEqual<Value: Equatable>(_ found: Value, _ expected: Value, input: String) throws {
    guard found != expected else { return }
    throw CheckFailure(expected: shown(expected), found: shown(found), input: input)
}

/// A value as a learner should read it in a failure: text in quotes with its line feeds,
/// carriage returns and tabs visible, optionals without `Optional(…)`, arrays element by element.
public func shown<Value>(_ value: Value) -> String {
    if let text = value as? String { return quotedVisibly(text) }
    if let optional = value as? any OptionalShowing { return optional.shownValue }
    if let array = value as? any ArrayShowing { return array.shownElements }
    return String(describing: value)
}

/// `text` in double quotes, with the characters that would hide or break a line spelled out.
private func quotedVisibly(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        default:
            if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                || scalar == "\u{2028}" || scalar == "\u{2029}" {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}

/// An optional, shown as its value or `nil`.
private protocol OptionalShowing {
    var shownValue: String { get }
}

extension Optional: OptionalShowing {
    fileprivate var shownValue: String {
        switch self {
        case .some(let wrapped): shown(wrapped)
        case .none: "nil"
        }
    }
}

/// An array, shown element by element.
private protocol ArrayShowing {
    var shownElements: String { get }
}

extension Array: ArrayShowing {
    fileprivate var shownElements: String {
        "[" + map { shown($0) }.joined(separator: ", ") + "]"
    }
}
