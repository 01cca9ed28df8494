import Instrumentation
import WorkbookKit

/// The checks of lesson 1, run against the exercise or the solution.
///
/// The named checks teach one rule each; the generated one compares the exercise with the
/// reference on 2,000 sample lines, half plain and half built from the edge classes below,
/// compared byte for byte (Swift's `==` on strings would call two spellings of `é` equal).
///
/// Edge classes generated:
/// - label values with `\`, `"` and line feeds, alone, doubled and next to each other;
/// - CR LF (`"\r\n"`, one `Character` in Swift, two Unicode scalars), a lone CR, tabs, NUL,
///   U+2028, which stay as they are;
/// - a combining mark after a quote or a backslash (`"\u{301}` is one `Character`), accents,
///   flags, emoji with skin tones and ZWJ sequences, CJK text: multi-scalar characters;
/// - an already escaped-looking value (`\n` as two characters), empty values, no labels;
/// - several labels, names that look sorted and names that do not;
/// - values: integers, fractions, -0, NaN, ±Inf, 2^53 and beyond, very large and very small
///   exponents, a Float's value widened to Double.
public enum ExpositionChecks {
    /// The signature of `renderSampleLine`.
    public typealias Render = @Sendable (String, [(name: String, value: String)], Double) throws -> String

    static func checks(_ render: @escaping Render) -> [Check] {
        [
            Check("a series without labels has no braces") {
                try expectLine(render, "up", [], 1, #"up 1"#)
            },
            Check("one label goes in braces, its value in double quotes") {
                try expectLine(render, "http_requests_total", [("method", "GET")], 3, #"http_requests_total{method="GET"} 3"#)
            },
            Check("several labels keep their order, joined by commas") {
                try expectLine(render, "http_requests_total", [("path", "/"), ("method", "POST"), ("code", "500")], 2,
                               #"http_requests_total{path="/",method="POST",code="500"} 2"#)
            },
            Check("a double quote in a label value is escaped as \\\"") {
                try expectLine(render, "log_lines_total", [("message", #"say "hi""#)], 1, #"log_lines_total{message="say \"hi\""} 1"#)
            },
            Check("a backslash in a label value is escaped as \\\\") {
                try expectLine(render, "files_total", [("path", #"C:\temp"#)], 4, #"files_total{path="C:\\temp"} 4"#)
            },
            Check("a line feed in a label value is escaped as \\n") {
                try expectLine(render, "errors_total", [("text", "first\nsecond")], 1, #"errors_total{text="first\nsecond"} 1"#)
            },
            Check("a backslash before a quote is escaped once each, backslash first") {
                try expectLine(render, "odd_total", [("value", #"\""#)], 1, #"odd_total{value="\\\""} 1"#)
            },
            Check("the line feed of a CR LF is escaped; the carriage return stays as it is") {
                try expectLine(render, "lines_total", [("text", "one\r\ntwo")], 1, "lines_total{text=\"one\r\\ntwo\"} 1")
            },
            Check("a quote followed by a combining mark is still escaped") {
                try expectLine(render, "names_total", [("name", "\"\u{301}")], 1, "names_total{name=\"\\\"\u{301}\"} 1")
            },
            Check("non-ASCII and empty label values are written as they are") {
                try expectLine(render, "visits_total", [("city", "Zürich ☃"), ("team", "")], 0.25, #"visits_total{city="Zürich ☃",team=""} 0.25"#)
            },
            Check("special values are written +Inf and NaN") {
                try expectLine(render, "temperature_celsius", [("room", "lab")], .infinity, #"temperature_celsius{room="lab"} +Inf"#)
                try expectLine(render, "temperature_celsius", [], .nan, "temperature_celsius NaN")
            },
            Check.generated(
                "2,000 generated lines match the reference, byte for byte",
                generate: SampleLineInput.generate, shrink: { $0.smaller }, describe: { $0.description },
                subject: { try render($0.name, $0.labels, $0.value) },
                reference: { try solutionRenderSampleLine(name: $0.name, labels: $0.labels, value: $0.value) },
                same: { Array($0.utf8) == Array($1.utf8) }),
        ]
    }

    /// Fails unless `render` writes exactly `expected`, byte for byte, naming the call in the failure.
    private static func expectLine(
        _ render: Render, _ name: String, _ labels: [(name: String, value: String)], _ value: Double, _ expected: String
    ) throws {
        let found = try render(name, labels, value)
        guard Array(found.utf8) != Array(expected.utf8) else { return }
        let input = SampleLineInput(name: name, labels: labels, value: value).description
        throw CheckFailure(expected: shown(expected), found: shown(found), input: input)
    }
}

/// One call of `renderSampleLine`, as the generated check draws it.
struct SampleLineInput: CustomStringConvertible {
    var name: String
    var labels: [(name: String, value: String)]
    var value: Double

    /// The call as the learner would write it, with the label values' invisible characters spelled out.
    var description: String {
        let pairs = labels.map { "(\(shown($0.name)), \(shown($0.value)))" }.joined(separator: ", ")
        return "renderSampleLine(name: \(shown(name)), labels: [\(pairs)], value: \(valueSource))"
    }

    /// The value as Swift source: `.nan`, `-.infinity`, `-0.0`, `1e+300` ….
    private var valueSource: String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.infinity" : ".infinity" }
        return "\(value)"
    }

    /// Metric names: plain ones, and ones with colons and underscores where they are allowed.
    static let names = ["up", "http_requests_total", "process_cpu_seconds_total", "job:errors:rate5m", "_private", "a1"]
    /// Label names, neither sorted nor in any fixed order.
    static let labelNames = ["method", "code", "path", "le", "zone", "a", "_id", "instance"]
    /// Pieces a label value is built from: each a trap for some way of escaping.
    static let valuePieces = [
        "\\", "\"", "\n", "\r\n", "\r", "\t", "\u{0}", "\u{2028}", "\\n", "\\\"", "\"\u{301}", "\\\u{301}", "\r\n\u{301}",
        "e\u{301}", "ü", "Zürich", "東京", "🇨🇭", "👍🏽", "👨‍👩‍👧", "☃", " ", "{", "}", "=", ",", "GET", "/api/v1", "",
    ]
    /// Plain label values: what most real values look like.
    static let plainValues = ["GET", "POST", "200", "404", "/", "/users/:id", "eu-west-1", "", "0.5", "+Inf"]
    /// Values whose text is a trap: signs, exponents, the precision limits of Double.
    static let edgeValues: [Double] = [
        .nan, .infinity, -.infinity, -0.0, 0, 1, -1, 0.1, 1.0 / 3, 1e21, 1e-7, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
        9_007_199_254_740_992, 9_007_199_254_740_994, -9_007_199_254_740_996, 123_456_789_012, 1e15 + 0.5,
        Double(Float(0.1)), 2.5e-5, -1e300,
    ]

    /// Half plain lines, half lines built from the edge classes.
    static func generate(_ random: inout SeededRandom) -> SampleLineInput {
        let edgy = random.next(below: 2) == 0
        let name = names[Int(random.next(below: UInt64(names.count)))]
        let labelCount = Int(random.next(below: edgy ? 5 : 4))
        var labels: [(name: String, value: String)] = []
        for _ in 0..<labelCount {
            let labelName = labelNames[Int(random.next(below: UInt64(labelNames.count)))]
            var value = ""
            if edgy {
                for _ in 0..<random.next(below: 5) { value += valuePieces[Int(random.next(below: UInt64(valuePieces.count)))] }
            } else {
                value = plainValues[Int(random.next(below: UInt64(plainValues.count)))]
            }
            labels.append((labelName, value))
        }
        let value: Double
        switch random.next(below: 4) {
        case 0 where edgy, 1 where edgy: value = edgeValues[Int(random.next(below: UInt64(edgeValues.count)))]
        case 2: value = (random.unit() * 1000).rounded() / 8
        default: value = Double(random.next(below: 10_000))
        }
        return SampleLineInput(name: name, labels: labels, value: value)
    }

    /// Smaller calls: a label fewer, a label value a character or a Unicode scalar shorter, a simpler value.
    var smaller: [SampleLineInput] {
        var candidates: [SampleLineInput] = []
        for index in labels.indices {
            var fewer = self
            fewer.labels.remove(at: index)
            candidates.append(fewer)
        }
        for index in labels.indices {
            let scalars = Array(labels[index].value.unicodeScalars)
            for cut in scalars.indices {
                var shorter = self
                var kept = String.UnicodeScalarView()
                kept.append(contentsOf: scalars[..<cut])
                kept.append(contentsOf: scalars[(cut + 1)...])
                shorter.labels[index].value = String(kept)
                candidates.append(shorter)
            }
        }
        if value != 1, !value.isNaN {
            var simpler = self
            simpler.value = 1
            candidates.append(simpler)
        }
        return candidates
    }
}
