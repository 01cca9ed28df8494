
/// The reference answer to `routeTemplate(for:)` in Exercise.swift. Try the exercise first.
func solutionRouteTemplate(for path: String) throws -> String {
    // The query string holds arbitrary values (`?q=…`): none of it belongs in a label.
    let withoutQuery = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    let pieces = withoutQuery.split(separator: "/").map { piece in
        isIdentifier(piece) ? ":id" : String(piece)
    }
    return "/" + pieces.joined(separator: "/")
}

/// Whether a path piece names one thing among unboundedly many: all digits, or a UUID.
private func isIdentifier(_ piece: Substring) -> Bool {
    if piece.allSatisfy(\.isASCIIDigit) { return true }
    let groups = piece.split(separator: "-", omittingEmptySubsequences: false)
    return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isASCIIHexDigit) }
}

// Character tests that accept ASCII only.
extension Character {
    /// `0` to `9` only: `isNumber` would also accept other scripts' digits and fractions.
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }

    /// `0` to `9`, `a` to `f` and `A` to `F`: `isHexDigit` alone would also accept full-width forms.
    fileprivate var isASCIIHexDigit: Bool { isASCII && isHexDigit }
}
