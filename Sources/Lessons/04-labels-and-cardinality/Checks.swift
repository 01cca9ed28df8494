import WorkbookKit

/// The checks of lesson 4, run against the exercise or the solution.
///
/// The named checks teach one rule each; the generated one compares the exercise with the
/// reference on 2,000 paths, half plain and half built from the edge classes below.
///
/// Edge classes generated:
/// - ids of ASCII digits: one digit, leading zeros, 19 and 20 digits around `Int.max`, 30 and
///   more digits (a 64-bit integer overflows: the id must still become `:id`);
/// - numbers that are not ASCII-digit ids: signs (`+5`, `-3`), decimals and exponents
///   (`1.5`, `1e5`), hex literals, spaces, other scripts' digits (Arabic-Indic `٤٢`,
///   Devanagari, fullwidth `４２`, mathematical `𝟙`), superscripts, fractions, Roman numerals,
///   a digit with a combining mark (`1` + U+0301 is one `Character`);
/// - UUIDs in lower, upper and mixed case; UUID-likes that are not: a group too short or too
///   long, dashes in other places, a non-hex letter, no dashes, braces, a fullwidth digit;
///   hex words (`deadbeef`) that are not ids;
/// - doubled, leading-only and trailing slashes, no leading slash, the empty path, only slashes;
/// - query strings with `/`, digits and more `?` in them, an empty query; `#` fragments and
///   percent escapes (`%2F`, `%31`), which are not special and are not decoded;
/// - non-ASCII words (`café`, `東京`, `e` + a combining mark).
/// A combining mark is never put right after a `/` or a `?`, so splitting by `Character` and
/// splitting by Unicode scalar give the same pieces.
public enum LabelsAndCardinalityChecks {
    /// The signature of `routeTemplate(for:)`.
    public typealias Template = @Sendable (String) throws -> String

    /// The checks, one rule of the exercise each, then a batch of paths that must collapse into three routes.
    static func checks(_ template: @escaping Template) -> [Check] {
        [
            Check("a path without ids is its own route") {
                try expectRoute(template, "/health", "/health")
                try expectRoute(template, "/api/orders", "/api/orders")
            },
            Check("the root path stays /, and an empty path becomes /") {
                try expectRoute(template, "/", "/")
                try expectRoute(template, "", "/")
            },
            Check("a numeric piece becomes :id") {
                try expectRoute(template, "/users/42", "/users/:id")
            },
            Check("every numeric piece becomes :id, not only the last") {
                try expectRoute(template, "/users/123/orders/9", "/users/:id/orders/:id")
                try expectRoute(template, "/users/7/orders", "/users/:id/orders")
            },
            Check("a piece with letters and digits is kept: v2 is a version, not an id") {
                try expectRoute(template, "/api/v2/items", "/api/v2/items")
                try expectRoute(template, "/files/report2024.pdf", "/files/report2024.pdf")
            },
            Check("the query string is dropped") {
                try expectRoute(template, "/search?q=shoes&page=2", "/search")
                try expectRoute(template, "/users/7?tab=orders", "/users/:id")
            },
            Check("a UUID becomes :id, in either case") {
                try expectRoute(template, "/carts/3f2b8c1e-9d4a-4e6f-a1b2-0c9d8e7f6a5b/items", "/carts/:id/items")
                try expectRoute(template, "/carts/3F2B8C1E-9D4A-4E6F-A1B2-0C9D8E7F6A5B", "/carts/:id")
            },
            Check("something UUID-like that is not a UUID is kept") {
                try expectRoute(template, "/tags/not-a-uuid-at-all", "/tags/not-a-uuid-at-all")
                try expectRoute(template, "/carts/3f2b8c1e-9d4a-4e6f-a1b2-0c9d8e7f6a5", "/carts/3f2b8c1e-9d4a-4e6f-a1b2-0c9d8e7f6a5")
            },
            Check("empty pieces from doubled or trailing slashes are dropped") {
                try expectRoute(template, "/users//42/", "/users/:id")
                try expectRoute(template, "/health/", "/health")
            },
            Check("120 raw paths of 40 users collapse to 3 routes") {
                var routes = Set<String>()
                for user in 1...40 {
                    routes.insert(try template("/users/\(user)"))
                    routes.insert(try template("/users/\(user)/orders"))
                    routes.insert(try template("/users/\(user)/orders/\(user * 7)?expand=items"))
                }
                try expectEqual(routes.sorted(), ["/users/:id", "/users/:id/orders", "/users/:id/orders/:id"],
                                input: "/users/N, /users/N/orders and /users/N/orders/7N?expand=items for N in 1...40")
            },
            Check("an id is ASCII digits 0-9 only: signs and other scripts' digits are kept") {
                try expectRoute(template, "/users/-3", "/users/-3")
                try expectRoute(template, "/users/+5", "/users/+5")
                try expectRoute(template, "/users/٤٢", "/users/٤٢")
                try expectRoute(template, "/users/４２", "/users/４２")
            },
            Check("a 30-digit id is an id too: it must not overflow into a raw label value") {
                try expectRoute(template, "/orders/123456789012345678901234567890", "/orders/:id")
            },
            Check.generated(
                "2,000 generated paths match the reference",
                generate: RawPaths.generate, shrink: RawPaths.smaller, describe: RawPaths.describe,
                subject: { try template($0) }, reference: { try solutionRouteTemplate(for: $0) },
                same: { Array($0.utf8) == Array($1.utf8) }),
        ]
    }

    /// Fails unless `template` turns `path` into exactly `expected`, naming the call in the failure.
    private static func expectRoute(_ template: Template, _ path: String, _ expected: String) throws {
        try expectEqual(try template(path), expected, input: RawPaths.describe(path))
    }
}

/// The raw paths the generated check draws.
enum RawPaths {
    /// Pieces that are ids.
    static let ids = [
        "1", "42", "007", "0", "123456", "9223372036854775807", "9223372036854775808", "18446744073709551616",
        "123456789012345678901234567890", "3f2b8c1e-9d4a-4e6f-a1b2-0c9d8e7f6a5b", "3F2B8C1E-9D4A-4E6F-A1B2-0C9D8E7F6A5B",
        "3f2B8c1E-9d4A-4e6F-a1B2-0c9D8e7F6a5B", "00000000-0000-0000-0000-000000000000",
    ]
    /// Pieces that look like ids, or like numbers, and are not.
    static let lookalikes = [
        "+5", "-3", "-0", "1.5", "1e5", "0x1F", "1_000", "1,000", " 42", "42 ", "٤٢", "٣", "४२", "４２", "𝟙𝟚", "²", "½", "Ⅻ",
        "1\u{301}", "12\u{301}3", "deadbeef", "ff", "cafe",
        "3f2b8c1e-9d4a-4e6f-a1b2-0c9d8e7f6a5", "3f2b8c1e-9d4a-4e6f-a1b2-0c9d8e7f6a5b0", "3f2b-8c1e9d4a-4e6f-a1b2-0c9d8e7f6a5b",
        "3f2b8c1e-9d4a-4e6f-a1b2-0c9d8e7f6g5b", "3f2b8c1e9d4a4e6fa1b20c9d8e7f6a5b", "{3f2b8c1e-9d4a-4e6f-a1b2-0c9d8e7f6a5b}",
        "３f2b8c1e-9d4a-4e6f-a1b2-0c9d8e7f6a5b", "3f2b8c1e-9d4a-4e6f-a1b2-0c9d8e7f6a5\u{301}b", "3f2b8c1e_9d4a_4e6f_a1b2_0c9d8e7f6a5b",
        "not-a-uuid-at-all", "%31%32", "a%2Fb", "%20", "5#top", "#x",
    ]
    /// Pieces that are words.
    static let words = ["users", "orders", "api", "v2", "health", "items", "carts", "report2024.pdf", "café", "東京", "e\u{301}", "a1"]
    /// Query strings, from the `?` on.
    static let queries = ["?page=2", "?q=shoes&page=2", "?next=/users/42/orders", "?a=1?b=2", "?", "?/", "?=42", "?x#y"]

    /// Half realistic paths, half built from the edge classes.
    static func generate(_ random: inout SeededRandom) -> String {
        func pick(_ choices: [String]) -> String { choices[Int(random.next(below: UInt64(choices.count)))] }
        let edgy = random.next(below: 2) == 0
        var path = edgy && random.next(below: 8) == 0 ? "" : "/"
        let count = edgy ? random.next(below: 6) : 1 + random.next(below: 4)
        for index in 0..<count {
            if index > 0 { path += edgy && random.next(below: 5) == 0 ? "//" : "/" }
            switch random.next(below: edgy ? 3 : 2) {
            case 0: path += pick(words)
            case 1: path += edgy ? pick(ids) : pick(Array(ids.prefix(5)) + ["3f2b8c1e-9d4a-4e6f-a1b2-0c9d8e7f6a5b"])
            default: path += pick(lookalikes)
            }
        }
        if edgy, random.next(below: 4) == 0 { path += "/" }
        if random.next(below: 4) == 0 { path += pick(edgy ? queries : ["?page=2", "?q=shoes"]) }
        return path
    }

    /// Shorter paths: a piece fewer, the query gone, one character fewer.
    static func smaller(_ path: String) -> [String] {
        var candidates: [String] = []
        let pieces = path.split(separator: "/", omittingEmptySubsequences: false)
        if pieces.count > 1 {
            for index in pieces.indices {
                var fewer = pieces
                fewer.remove(at: index)
                candidates.append(fewer.joined(separator: "/"))
            }
        }
        if let question = path.firstIndex(of: "?") { candidates.append(String(path[..<question])) }
        for index in path.indices {
            var shorter = path
            shorter.remove(at: index)
            candidates.append(shorter)
        }
        return candidates
    }

    /// The call: `routeTemplate(for: "/users/42")`, invisible characters spelled out.
    static func describe(_ path: String) -> String {
        "routeTemplate(for: \(shown(path)))"
    }
}
