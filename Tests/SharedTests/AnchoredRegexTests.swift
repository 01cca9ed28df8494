import Foundation
import TestSupport
import XCTest

@testable import PromQL
@testable import TimeSeries

/// The RE2 engine behind label matchers and `label_replace`: syntax, anchoring, flags,
/// captures, what it rejects, how fast it stays on patterns that make backtracking engines
/// blow up, and a differential run against the real Prometheus.
final class AnchoredRegexTests: XCTestCase {
    static let forty = String(repeating: "a", count: 40)

    /// (pattern, text, whether it matches), with `.` matching a line feed (Prometheus 3).
    static let matchCases: [(String, String, Bool)] = [
        // Literals, escapes, and anchoring at both ends.
        ("foo", "foo", true), ("foo", "foobar", false), ("foo", "xfoo", false), ("", "", true), ("", "a", false),
        ("foo|bar", "bar", true), ("foo|bar", "foobar", false), ("a.c", "abc", true), ("a.c", "ac", false),
        (#"a\.c"#, "a.c", true), (#"a\.c"#, "abc", false), (#"\\"#, "\\", true), (#"\n\t"#, "\n\t", true),
        (#"\x41\x{263a}\101\0"#, "A☺A\u{0}", true), (#"\-\/\ \_"#, "-/ _", true), (#"\a\f\v\r"#, "\u{07}\u{0C}\u{0B}\r", true),
        (#"\Qa.b\E"#, "a.b", true), (#"\Qa.b\E"#, "axb", false), (#"\Qab\E+"#, "abbb", true), (#"\12"#, "\n", true),
        // Classes.
        ("[a-z0-9_]+", "abc_09", true), ("[a-z0-9_]+", "abC", false), ("[^a-z]+", "ABC1", true), ("[^a-z]", "a", false),
        ("[^a]", "\n", true), ("[]a]+", "]a]", true), ("[a-]+", "a-a", true), ("[-a]+", "-a", true), (#"[\d.]+"#, "1.5", true),
        (#"\d+"#, "0123", true), (#"\d"#, "٣", false), (#"\w+"#, "a_Z9", true), (#"\w"#, "é", false),
        (#"\s+"#, " \t\n\r\u{0C}", true), (#"\s"#, "\u{0B}", false), (#"\D\W\S"#, "a-x", true), (#"[^\D]"#, "7", true),
        ("[[:alpha:]]+", "abcXYZ", true), ("[[:digit:][:upper:]]+", "A1B2", true), ("[[:^digit:]]+", "abc", true),
        ("[[:^digit:]]", "1", false), ("[[:space:]]", "\u{0B}", true), ("[[:punct:]]+", "!-/:@[`{~", true),
        ("[[:xdigit:]]+", "0fA9", true), ("[[:word:]]+", "a_1", true), ("[[:alpha:]_-]+", "ab_-c", true),
        // Unicode.
        (#"\pL+"#, "ünïcödé", true), (#"\p{Lu}\p{Ll}+"#, "Ünï", true), (#"\p{Greek}+"#, "κόσμος", true), (#"\p{Greek}"#, "a", false),
        (#"\p{Han}+"#, "日本語", true), (#"\p{Cyrillic}+"#, "привет", true), (#"\p{Latin}+"#, "Ünï", true), (#"\PL"#, "1", true),
        (#"\PL"#, "a", false), (#"\p{^L}"#, "1", true), (#"\pN+"#, "42٣", true), (#"\p{Nd}"#, "½", false), (#"\pP"#, "!", true),
        (#"\pS"#, "+", true), (#"\pZ"#, " ", true), (#"\p{Any}+"#, "x\n☺", true), (#"[\p{L}\d_]+"#, "é_9", true),
        (".", "😀", true), (".", "e\u{301}", false), ("..", "e\u{301}", true), ("ü.*", "über", true), (#"[^\x00-\x7F]+"#, "日本", true),
        // Repetition.
        ("a*", "", true), ("a*", "aaa", true), ("a+", "", false), ("a?", "a", true), ("a?", "aa", false),
        ("a{3}", "aaa", true), ("a{3}", "aa", false), ("a{2,}", "aaaa", true), ("a{2,}", "a", false), ("a{1,2}", "aaa", false),
        ("a{0}", "", true), ("a{1000}", String(repeating: "a", count: 1000), true), ("a{,2}", "a{,2}", true), ("a{", "a{", true),
        ("x{01}", "x{01}", true), ("a+?", "aaa", true), ("a*?b", "aab", true), ("a??", "", true), ("(ab)+", "ababab", true),
        ("(?:ab)+", "aba", false), ("(a|b){2,3}c", "abac", true), ("(a|b){2,3}c", "ac", false),
        // Flags.
        ("(?i)foo", "FoO", true), ("(?i:f)oo", "Foo", true), ("(?i:f)oo", "FOO", false), ("(?i)k", "\u{212A}", true),
        ("(?i)s", "ſ", true), ("(?i)ı", "I", false), ("(?i)i", "ı", false), ("(?i)σ", "ς", true), ("(?i)[a-c]+", "ABC", true),
        ("(?i)[^k]", "\u{212A}", false), ("(?i)ü", "Ü", true), (#"(?i)\w"#, "\u{212A}", true), ("a(?i)b|c", "C", true),
        ("(?i)a(?-i)b", "Ab", true), ("(?i)a(?-i)b", "AB", false), ("(?U)a+", "aaa", true), ("(?i)[[:upper:]]+", "abc", true),
        ("(?)a", "a", true),
        // Anchors and word boundaries: harmless inside, since the whole pattern is anchored.
        ("^foo$", "foo", true), (#"\Afoo\z"#, "foo", true), ("a^b", "ab", false), (#"(?m)a$\nb"#, "a\nb", true),
        (#"a$\nb"#, "a\nb", false), (#"a\n(?m)^b"#, "a\nb", true), (#"\bfoo\b"#, "foo", true), (#"a\bb"#, "ab", false),
        (#"a\Bb"#, "ab", true), (#"a\b-"#, "a-", true), (#"é\b"#, "é", false),
        // What makes backtracking engines give up: here plain answers.
        ("(a+)+b|a*", forty, true), ("(a+)+b", forty, false), ("(a|aa)+", forty + "a", true), ("(x+x+)+y", String(repeating: "x", count: 40), false),
        ("(.*a){12}", String(repeating: "a", count: 20), true), ("(a*)*b", forty, false), ("(|a)+", "aa", true),
    ]

    func testMatchesFollowRE2() throws {
        for (pattern, text, expected) in Self.matchCases {
            let regex = try AnchoredRegex(pattern)
            XCTAssertEqual(regex.matches(text), expected, "\(pattern) on \(text.debugDescription)")
        }
    }

    func testDotMatchesLineFeedOnlyInPrometheus3Mode() throws {
        // (pattern, text, Prometheus 3 answer, Prometheus 2 answer)
        let cases: [(String, String, Bool, Bool)] = [
            (".", "\n", true, false), (".*", "a\nb", true, false), ("(?s).", "\n", true, true), ("(?-s).", "\n", false, false),
            ("[^a]", "\n", true, true), (#"\n"#, "\n", true, true), ("(?s:.)a.", "\na\n", true, false),
        ]
        for (pattern, text, three, two) in cases {
            XCTAssertEqual(try AnchoredRegex(pattern).matches(text), three, "Prometheus 3: \(pattern)")
            XCTAssertEqual(try AnchoredRegex(pattern, dotMatchesNewline: false).matches(text), two, "Prometheus 2: \(pattern)")
        }
    }

    func testCapturesAreLeftmostFirst() throws {
        let cases: [(String, String, [String]?)] = [
            ("(a|ab)(c|bcd)", "abcd", ["abcd", "a", "bcd"]), ("(a*)(a*)", "aaa", ["aaa", "aaa", ""]),
            ("(a*?)(a*)", "aaa", ["aaa", "", "aaa"]), ("(a)?(b)?c", "c", ["c", "", ""]), ("((a)|b)+", "ab", ["ab", "b", "a"]),
            (#"(?P<host>[^.]+)\.(.*)"#, "web-1.example", ["web-1.example", "web-1", "example"]), ("(a+)+", "aaa", ["aaa", "aaa"]),
            ("(a|b)*", "ab", ["ab", "b"]), ("(a{2})*(a)?", "aaaaa", ["aaaaa", "aa", "a"]), ("(a)|b", "b", ["b", ""]),
            ("(?U)(a+)(a*)", "aaa", ["aaa", "a", "aa"]), ("(a+?)(a*)", "aaa", ["aaa", "a", "aa"]), ("(x)", "y", nil),
        ]
        for (pattern, text, expected) in cases {
            XCTAssertEqual(try AnchoredRegex(pattern).captures(in: text), expected, pattern)
        }
        let named = try AnchoredRegex(#"(?P<host>[^.]+)\.(?<rest>.*)"#)
        XCTAssertEqual(named.groupNumber(named: "host"), 1)
        XCTAssertEqual(named.groupNumber(named: "rest"), 2)
        XCTAssertNil(named.groupNumber(named: "missing"))
    }

    func testRejectsWhatRE2RejectsWithItsMessages() {
        let cases: [(String, String)] = [
            ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"), ("(?!a)", "invalid or unsupported Perl syntax: `(?!`"),
            ("(?<=a)b", "invalid or unsupported Perl syntax: `(?<=`"), ("(?<!a)b", "invalid or unsupported Perl syntax: `(?<!`"),
            ("(?>a)", "invalid or unsupported Perl syntax: `(?>`"), ("(?(1)a|b)", "invalid or unsupported Perl syntax: `(?(`"),
            ("(?#c)", "invalid or unsupported Perl syntax: `(?#`"), ("(?i-)", "invalid or unsupported Perl syntax: `(?i-)`"),
            ("(?P=n)", "invalid or unsupported Perl syntax: `(?P`"), ("(?i", "invalid or unsupported Perl syntax: `(?i`"),
            (#"(a)\1"#, #"invalid escape sequence: `\1`"#), (#"\Z"#, #"invalid escape sequence: `\Z`"#),
            (#"\C"#, #"invalid escape sequence: `\C`"#), (#"[\b]"#, #"invalid escape sequence: `\b`"#),
            (#"\é"#, #"invalid escape sequence: `\é`"#), (#"\x{110000}"#, #"invalid escape sequence: `\x{110000`"#),
            (#"\xg"#, #"invalid escape sequence: `\xg`"#),
            ("a**", "invalid nested repetition operator: `**`"), ("a++", "invalid nested repetition operator: `++`"),
            ("a*??", "invalid nested repetition operator: `*??`"), ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
            ("*a", "missing argument to repetition operator: `*`"), ("a|*", "missing argument to repetition operator: `*`"),
            ("(+)", "missing argument to repetition operator: `+`"), ("{2}", "missing argument to repetition operator: `{2}`"),
            ("a{1001}", "invalid repeat count: `{1001}`"), ("a{2,1}", "invalid repeat count: `{2,1}`"),
            ("(a{100}){100}", "invalid repeat count: `{100}`"), ("a{123456789}", "invalid repeat count: `{123456789}`"),
            ("(a", "missing closing ): `(a`"), ("a)", "unexpected ): `a)`"), ("[a", "missing closing ]: `[a`"),
            ("[z-a]", "invalid character class range: `z-a`"), ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
            (#"\p{Foo}"#, #"invalid character class range: `\p{Foo}`"#), (#"\pX"#, #"invalid character class range: `\pX`"#),
            ("(?P<>a)", "invalid named capture: `(?P<>`"), ("(?P<a-b>x)", "invalid named capture: `(?P<a-b>`"),
            ("(?P<n", "invalid named capture: `(?P<n`"), (#"a\"#, "trailing backslash at end of expression: ``"),
            (String(repeating: "(", count: 300) + String(repeating: ")", count: 300), "expression nests too deeply"),
        ]
        for (pattern, reason) in cases {
            XCTAssertThrowsError(try AnchoredRegex(pattern), pattern) { error in
                guard let invalid = error as? InvalidRegularExpression else { return XCTFail("\(pattern): \(error)") }
                XCTAssertTrue(invalid.reason.hasPrefix(reason), "\(pattern): \(invalid.reason)")
                XCTAssertEqual(invalid.description, "invalid regular expression \"\(pattern)\": \(invalid.reason)")
            }
        }
    }

    /// Each pattern many times over 40 characters: a backtracking engine takes seconds per
    /// match on some of these (ICU gives up on others); the Pike VM's time grows with the
    /// text's length times the program's size, microseconds here even in a debug build.
    func testPathologicalPatternsStayLinear() throws {
        // A backtracking engine takes exponential time on these; this one must take time
        // proportional to the text. Measured as a ratio (four times the text, about four times
        // the time), so the test does not depend on the machine's speed or a sanitizer.
        let cases: [(pattern: String, letter: Character, expected: Bool)] = [
            ("(a+)+b|a*", "a", true), ("(a+)+b", "a", false), ("(a|a)*b", "a", false),
            ("(x+x+)+y", "x", false), ("(a*)*b", "a", false), ("(.*){20}b", "a", false),
        ]
        for (pattern, letter, expected) in cases {
            let regex = try AnchoredRegex(pattern)
            func seconds(_ length: Int) -> Double {
                let text = String(repeating: letter, count: length)
                let clock = ContinuousClock()
                var samples: [Double] = []
                for _ in 0..<5 {
                    var answers = 0
                    let elapsed = clock.measure {
                        for _ in 0..<20 where regex.matches(text) == expected { answers += 1 }
                    }
                    XCTAssertEqual(answers, 20, "\(pattern) over \(length) characters")
                    samples.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                }
                return samples.sorted()[2]
            }
            let short = seconds(50), long = seconds(200)
            XCTAssertLessThan(long / short, 12, "\(pattern): 4 x the text took \(long / short) x the time (\(short) s, \(long) s)")
            XCTAssertLessThan(long, 5, "\(pattern): 20 matches over 200 characters took \(long) s")
            print("AnchoredRegex: \(pattern) over 50 and 200 characters: \(short) s and \(long) s for 20 matches")
        }
    }

    /// The label matcher from the reliability issue: every one of ten runs of a's matches.
    func testLabelMatchersSelectEveryRunOfAs() throws {
        let matcher = try LabelMatcher("v", .matchesRegex, "(a+)+b|a*")
        let negated = try LabelMatcher("v", .notMatchesRegex, "(a+)+b|a*")
        for length in stride(from: 4, through: 40, by: 4) {
            let value = String(repeating: "a", count: length)
            XCTAssertTrue(matcher.matches(value), value)
            XCTAssertFalse(negated.matches(value), value)
        }
    }

    // MARK: The real Prometheus

    static let differentialValues = [
        "a", "aaaa", forty, "aaab", "abcd", "foo", "foobar", "Foo", "FOO", "foo.bar", "fooXbar", "/api/v1/users", "/health",
        "web-1.example", "db-22", "500", "5xx", "1500", "ünïcödé", "Ünïcödé", "κόσμος", "ΚΌΣΜΟΣ", "日本語", "\u{212A}", "k",
        "ſ", "S", "ı", "I", "under_score", "x{2}", "a+b", "emoji😀", "MiXeD_Case-42", " space ", "tab\there", "]a]",
    ]

    /// Accepted by Prometheus 2.42; `(?<name>…)` is left out, since the Go it was built with
    /// did not know that spelling yet (Prometheus 3 does, and so does this engine).
    static let differentialPatterns = [
        "a*", "(a+)+b|a*", "(a|aa)*", "a{2,4}", "a{3}b?", "a{2,}b?", "foo", "foo.*", ".*bar", #"foo\.bar"#, "foo.bar",
        "(?i)foo", "(?i)FOO.*", "(?i)k", "(?i)s", "(?i)ı", "(?i)i", "(?i)κόσμος", "(?i)[a-z]+", "(?i:foo)bar", "(?i)ü.*",
        "[a-z]+", "[^a-z]+", "[[:upper:]]+", "[[:alpha:]_-]+", "[[:^digit:]]*", #"\d+"#, #"\D+"#, #"\w+"#, #"\W"#,
        #"\s*\S+\s*"#, #"\pL+"#, #"\p{Lu}\p{Ll}*"#, #"\PL+"#, #"\p{Greek}+"#, #"\p{Han}+"#, #"\pN+"#, #"[\p{L}\p{N}_-]+"#,
        "5..", #"5\d\d|1500"#, #"x\{2\}"#, "x{2}", #"a\+b"#, #"\Qa+b\E"#, "a+?b", "(?U)a+b", "^foo$", #"\Afoo\z"#,
        "(?m)^foo$", #"\bfoo\b"#, #"\Bo+\B.*"#, "/api/v1/.*", "/api/(v[0-9]+)/.*", "[]a]*", "[a-]+", "[-a+]+", "(?s).+", ".+",
        "", "|a", "a|", "(|a)+", "(a*)*", #"\."#, "[.]", "emoji.", #"emoji\x{1F600}"#, #"[^\x00-\x7F]+"#, #"(?P<n>a)\w*"#,
        #"\x61+"#, #"tab\t.*"#, #"\p{Latin}+"#, #"\p{Cyrillic}"#, "[[:space:]].*", "(?i)[[:lower:]]+", #"(?i)\W+"#, "a{,2}",
    ]

    /// Refused by Prometheus 2.42, each with the same kind of message as here.
    static let rejectedPatterns = [
        "(?=a)", "(?!a)", "(?<=a)b", "(?<!a)b", #"(a)\1"#, "a**", "a++", "(?>a)", "a{1001}", "a{2,1}", "(a{100}){100}",
        #"\Z"#, "[z-a]", "[[:foo:]]", #"\p{Foo}"#, "(", ")", "[a", #"\8"#, "(?P<>a)", "(?i-)", "(?(1)a|b)", "(?#c)", #"\C"#, "*a",
        #"[\b]"#, "a*??",
    ]

    /// label_replace with captures: (replacement, pattern).
    static let replacements = [
        ("$1|$2", "(a|ab)(c|bcd)"), ("$1|$2", "(a*)(a*)"), ("$1|$2", "(a*?)(a*)"), ("$1|$2", "((a)|b)+"),
        ("${host}:$2", #"(?P<host>[^.]+)\.(.*)"#), ("$1", "/api/(v[0-9]+)/.*"), ("$1|$2", "(a)?(b)?c?d?"),
        ("$1", "(|a)*"), ("$1|$2", "(.*?)(o*)"), ("$1", "(?i)(f)oo.*"), ("$1|$2", "(\\p{L}+)(\\d*)"), ("[$1]", "(a+)+b|(a*)"),
    ]

    /// The same series selected as by Prometheus 2.42 for `=~` and `!~`, the same patterns refused, and
    /// the same labels from `label_replace`; the engine runs in Prometheus 2 mode, and no value holds
    /// a line feed (where Prometheus 2 and 3 differ).
    func testMatchersAgreeWithRealPrometheus() throws {
        let time = (Int64(Date().timeIntervalSince1970) / 60 - 120) * 60_000
        let store = SeriesStore()
        var openMetrics = "# TYPE m gauge\n"
        var allSeries = Self.differentialValues.map { LabelSet(name: "m", ["v": $0]) }
        allSeries.append(LabelSet(name: "m", ["other": "no v label"]))
        for (index, labels) in allSeries.enumerated() {
            _ = store.append(labels, timestamp: time, value: Double(index))
            let labelText = labels.labels.filter { $0.name != LabelSet.metricNameLabel }.map { label in
                let escaped = label.value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                return "\(label.name)=\"\(escaped)\""
            }.joined(separator: ",")
            openMetrics += "m{\(labelText)} \(index) \(time / 1000)\n"
        }
        openMetrics += "# EOF\n"
        let prometheus = try RealPrometheus.backfilled(openMetrics: openMetrics)
        defer { prometheus.stop() }
        let engine = PromQLEngine(store: store, semantics: .prometheus2)

        let patterns = Self.differentialPatterns + Self.rejectedPatterns
        var queries = patterns.flatMap { pattern in ["=~", "!~"].map { "{__name__=\"m\", v\($0)`\(pattern)`}" } }
        queries += Self.replacements.map { #"label_replace(m, "out", "\#($0.0)", "v", `\#($0.1)`)"# }
        let answers = try prometheus.instantQueries(queries.map { (query: $0, time: time) })
        XCTAssertEqual(answers.count, queries.count)

        var compared = 0, refusedByBoth = 0
        for (query, answer) in zip(queries, answers) {
            guard let response = answer as? [String: Any] else { XCTFail("no JSON for \(query)"); continue }
            let ours = Result { try engine.evaluate(query, at: time) }
            switch (response["status"] as? String == "success", ours) {
            case (true, .success(.vector(let elements))):
                let theirs = Set(((response["data"] as? [String: Any])?["result"] as? [[String: Any]] ?? []).map {
                    LabelSet($0["metric"] as? [String: String] ?? [:])
                })
                let selected = Set(elements.map(\.labels))
                XCTAssertEqual(selected, theirs, "\(query): only here \(selected.subtracting(theirs)), only in Prometheus \(theirs.subtracting(selected))")
                compared += allSeries.count
            case (false, .failure(let error)):
                refusedByBoth += 1
                // Prometheus says "… error parsing regexp: <kind>: `…`"; the kinds must agree.
                let message = response["error"] as? String ?? ""
                XCTAssertNotNil(error as? PromQLError, query)
                if let reason = Self.reason(for: query), let ourKind = reason.components(separatedBy: ": `").first {
                    XCTAssertTrue(message.contains("error parsing regexp: \(ourKind):"), "\(query): Prometheus says \(message), the engine \(reason)")
                }
            case (true, let result):
                XCTFail("\(query): Prometheus answered \(response["data"] ?? ""), the engine \(result)")
            case (false, let result):
                XCTFail("\(query): Prometheus refused it (\(response["error"] ?? "")), the engine \(result)")
            }
        }
        XCTAssertEqual(refusedByBoth, 2 * Self.rejectedPatterns.count)
        print("Regex differential: \(Self.differentialPatterns.count) patterns and \(Self.rejectedPatterns.count) rejected ones, =~ and !~, over \(allSeries.count) series; \(compared) series decisions compared, \(refusedByBoth) refused by both, \(Self.replacements.count) label_replace cases")
    }

    /// The engine's own reason for refusing the pattern in a `{…, v=~`pattern`}` query.
    private static func reason(for query: String) -> String? {
        guard let open = query.firstIndex(of: "`"), let close = query.lastIndex(of: "`"), open < close else { return nil }
        let pattern = String(query[query.index(after: open)..<close])
        do {
            _ = try AnchoredRegex(pattern, dotMatchesNewline: false)
            return nil
        } catch let invalid as InvalidRegularExpression {
            return invalid.reason
        } catch {
            return nil
        }
    }
}
