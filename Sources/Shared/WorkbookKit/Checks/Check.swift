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

    public init(expected: String, found: String) {
        self.expected = expected
        self.found = found
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

private func shown<Value>(_ value: Value) -> String {
    if let text = value as? String {
        // Show a line feed as ⏎ so a stray newline at the end of a line is visible.
        return text.replacingOccurrences(of: "\n", with: "⏎")
    }
    return String(describing: value)
}

extension String {
    fileprivate func replacingOccurrences(of target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
