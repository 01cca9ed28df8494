import Platform

/// How a lesson's demo talks: headings, sentences and blocks of output.
///
/// The same demo runs for the learner (printing) and for `lesson metrics N`, the tests
/// and the server (quiet), so demos say everything through a narrator.
public struct Narrator: Sendable {
    /// Whether anything is printed.
    public let isQuiet: Bool
    private let useBold: Bool
    /// The columns a line may take: the terminal's width when it is known and wider than 80,
    /// else 80. Longer prose is wrapped at spaces; charts are drawn to fit.
    public let width: Int

    /// A narrator that prints to standard output, in bold headings when it is a terminal.
    public static let printing = Narrator(isQuiet: false, useBold: isatty(STDOUT_FILENO) == 1, width: max(80, terminalColumns() ?? 80))
    /// A narrator that prints nothing.
    public static let quiet = Narrator(isQuiet: true, useBold: false, width: 80)

    private init(isQuiet: Bool, useBold: Bool, width: Int) {
        self.isQuiet = isQuiet
        self.useBold = useBold
        self.width = width
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
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            for piece in Self.wrapped(String(line), width: width) { print(piece) }
        }
    }

    /// Output shown as is, indented under a bar so it stands apart from the explanation.
    public func show(_ block: String) {
        guard !isQuiet else { return }
        for line in block.split(separator: "\n", omittingEmptySubsequences: false).dropLast(block.hasSuffix("\n") ? 1 : 0) {
            for piece in Self.wrapped(String(line), width: width - 4) { print("  │ " + piece) }
        }
    }

    /// `line` broken at spaces into pieces of at most `width` characters; each piece after the
    /// first is indented like the line, plus two spaces. A word longer than the width stays whole.
    public static func wrapped(_ line: String, width: Int) -> [String] {
        guard line.count > width else { return [line] }
        let indent = String(line.prefix { $0 == " " })
        var pieces: [String] = []
        var current = ""
        for word in line.dropFirst(indent.count).split(separator: " ", omittingEmptySubsequences: false) {
            let lead = pieces.isEmpty ? indent : indent + "  "
            if current.isEmpty {
                current = lead + word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                pieces.append(current)
                current = indent + "  " + word
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
