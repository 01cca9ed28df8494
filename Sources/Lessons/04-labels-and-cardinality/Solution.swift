
/// The reference answer to `routeTemplate(for:)` in Exercise.swift. Try the exercise first.
func solutionRouteTemplate(for path: String) throws -> String {
    // The query string holds arbitrary values (`?q=…`): none of it belongs in a label.
    let withoutQuery = path.prefix { $0 != "?" }
    let pieces = withoutQuery.split(separator: "/").map { piece in
        isIdentifier(piece) ? ":id" : String(piece)
    }
    return "/" + pieces.joined(separator: "/")
}

/// Whether a path piece names one thing among unboundedly many: ASCII digits only, or a UUID.
///
/// Both tests look at Unicode scalars, not at `Character`s: `1` followed by a combining
/// accent is one `Character` that compares between "0" and "9", yet it is not a digit.
/// No number is parsed, so an id of any length is an id, and a sign makes it a word.
private func isIdentifier(_ piece: Substring) -> Bool {
    if piece.unicodeScalars.allSatisfy(isASCIIDigit) { return true }
    let groups = piece.unicodeScalars.split(separator: "-", omittingEmptySubsequences: false)
    return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(isASCIIHexDigit) }
}

/// `0` to `9` only: `Character.isNumber` would also accept other scripts' digits and fractions.
private func isASCIIDigit(_ scalar: Unicode.Scalar) -> Bool {
    ("0"..."9").contains(scalar)
}

/// `0` to `9`, `a` to `f` and `A` to `F`: `Character.isHexDigit` would also accept fullwidth forms.
private func isASCIIHexDigit(_ scalar: Unicode.Scalar) -> Bool {
    isASCIIDigit(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar)
}
