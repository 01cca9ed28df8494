/// One entry of an `Accept` header: a media type (perhaps with wildcards), its parameters
/// and its weight, the `q` value from 0 (not acceptable) to 1 (the default).
///
/// `text/plain;version=0.0.4;q=0.5` is the type `text`, subtype `plain`, parameter
/// `version=0.0.4`, quality 0.5.
/// See https://www.rfc-editor.org/rfc/rfc9110#section-12.5.1
struct MediaRange: Sendable, Equatable {
    /// The type in lower case, or `*`.
    let type: String
    /// The subtype in lower case, or `*`.
    let subtype: String
    /// The parameters other than `q`: names in lower case, values without quotes.
    let parameters: [String: String]
    /// The weight, 0 through 1.
    let quality: Double
    /// The range's index in the header, which breaks ties in the client's favour: first listed, first preferred.
    let position: Int

    /// The ranges of an `Accept` header, in order. Entries that are not `type/subtype` or
    /// carry an unreadable `q` are left out rather than guessed at; commas inside quoted
    /// parameter values are not supported (no media type a scraper sends has one).
    static func parseAccept(_ header: String) -> [MediaRange] {
        var ranges: [MediaRange] = []
        for entry in header.split(separator: ",") {
            let pieces = entry.split(separator: ";", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
            let mediaType = pieces[0].lowercased().split(separator: "/", omittingEmptySubsequences: false)
            guard mediaType.count == 2, !mediaType[0].isEmpty, !mediaType[1].isEmpty else { continue }
            var parameters: [String: String] = [:]
            var quality = 1.0
            var readable = true
            for piece in pieces.dropFirst() {
                guard let equals = piece.firstIndex(of: "=") else { continue }
                let name = String(piece[..<equals]).trimmingSpaces.lowercased()
                var value = String(piece[piece.index(after: equals)...]).trimmingSpaces
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                if name == "q" {
                    guard let weight = Double(value), (0...1).contains(weight) else {
                        readable = false
                        break
                    }
                    quality = weight
                } else {
                    parameters[name] = value
                }
            }
            guard readable else { continue }
            ranges.append(MediaRange(
                type: String(mediaType[0]), subtype: String(mediaType[1]), parameters: parameters, quality: quality, position: ranges.count))
        }
        return ranges
    }

    /// How specifically this range names `type/subtype`, or nil when it does not match it.
    ///
    /// `*/*` is 0, `type/*` is 1, `type/subtype` is 2, and 3 when it also names a `version`
    /// listed in `versions`. A range naming any other version does not match: a client
    /// asking for a version it can parse must not be sent another.
    func specificity(type: String, subtype: String, versions: [String]) -> Int? {
        if self.type == "*" { return self.subtype == "*" ? 0 : nil }
        guard self.type == type else { return nil }
        if self.subtype == "*" { return 1 }
        guard self.subtype == subtype else { return nil }
        guard let version = parameters["version"] else { return 2 }
        return versions.contains(version) ? 3 : nil
    }
}
