import Platform

/// How a lesson's demo talks: headings, sentences and blocks of output.
///
/// The same demo runs for the learner (printing) and for `lesson metrics N`, the tests
/// and the server (quiet), so demos say everything through a narrator.
public struct Narrator: Sendable {
    /// Whether anything is printed.
    public let isQuiet: Bool
    private let useBold: Bool

    /// A narrator that prints to standard output, in bold headings when it is a terminal.
    public static let printing = Narrator(isQuiet: false, useBold: isatty(STDOUT_FILENO) == 1)
    /// A narrator that prints nothing.
    public static let quiet = Narrator(isQuiet: true, useBold: false)

    private init(isQuiet: Bool, useBold: Bool) {
        self.isQuiet = isQuiet
        self.useBold = useBold
    }

    /// A section heading, underlined.
    public func heading(_ text: String) {
        guard !isQuiet else { return }
        let title = useBold ? "\u{1B}[1m\(text)\u{1B}[0m" : text
        print("\n" + title + "\n" + String(repeating: "─", count: text.count))
    }

    /// A sentence or paragraph of explanation.
    public func say(_ text: String) {
        guard !isQuiet else { return }
        print(text)
    }

    /// Output shown as is, indented under a bar so it stands apart from the explanation.
    public func show(_ block: String) {
        guard !isQuiet else { return }
        for line in block.split(separator: "\n", omittingEmptySubsequences: false).dropLast(block.hasSuffix("\n") ? 1 : 0) {
            print("  │ " + line)
        }
    }
}
