import Platform
import Instrumentation
import Scraping
import TestSupport
import XCTest

/// The parser against inputs nobody wrote on purpose: mutated expositions and random bytes.
///
/// Every input must either read or fail with an `ExpositionParseError` naming a real line;
/// nothing may crash or hang. What reads must be well formed, and must read back the same
/// when written out again. The generator is seeded, so a failure repeats on every run.
final class ExpositionParserFuzzTests: XCTestCase {
    /// Mutated expositions (four in five) and random byte strings (one in five).
    ///
    /// A mutated exposition is parsed in its own format, and one in eight in the other format
    /// too; random bytes in both. The thread-sanitizer pass reads a fifth of them: the parser
    /// runs on one thread, so the sanitizer has nothing more to find in the rest, and at its
    /// speed all of them would outlast the time limit below.
    private static let inputCount = ThreadSanitizerRun.isOn ? 20_000 : 100_000

    func testMutatedAndRandomInputsParseOrFailCleanly() throws {
        var random = SplitMix64(seed: 0x5EED_0F_F0CC)
        let seeds = try Self.seeds()
        let start = ContinuousClock.now
        var outcomes = (parsed: 0, failed: 0)
        for index in 0..<Self.inputCount {
            let input: [UInt8]
            var formats = ExpositionFormat.allCases
            if index % 5 == 4 {
                input = Self.randomBytes(using: &random)
            } else {
                let seed = seeds[Int(random.next() % UInt64(seeds.count))]
                input = Self.mutate(seed.bytes, splicing: seeds, using: &random)
                if index % 8 != 0 { formats = [seed.format] }
            }
            for format in formats {
                if check(input, format: format, index: index) {
                    outcomes.parsed += 1
                } else {
                    outcomes.failed += 1
                }
            }
        }
        let elapsed = ContinuousClock.now - start
        // Both outcomes must be common, or the mutations are too timid or too destructive to test much.
        XCTAssertGreaterThan(outcomes.parsed, Self.inputCount / 20, "parsed \(outcomes.parsed), failed \(outcomes.failed)")
        XCTAssertGreaterThan(outcomes.failed, Self.inputCount / 2, "parsed \(outcomes.parsed), failed \(outcomes.failed)")
        // A hang or a quadratic path over these parses would take far longer than this.
        XCTAssertLessThan(elapsed, .seconds(120), "\(Self.inputCount) inputs took \(elapsed)")
        print("ExpositionParserFuzzTests: \(Self.inputCount) inputs, \(outcomes.parsed + outcomes.failed) parses "
              + "(\(outcomes.parsed) read, \(outcomes.failed) refused) in \(elapsed)")
    }

    func testEncoderOutputAlwaysParses() throws {
        var random = SplitMix64(seed: 42)
        for round in 0..<300 {
            let registry = try Self.randomRegistry(using: &random)
            let snapshots = registry.collect()
            for format in ExpositionFormat.allCases {
                let bytes = format.encode(snapshots)
                let samples: [ScrapedSample]
                do {
                    samples = try ExpositionParser.parse(bytes, format: format)
                } catch {
                    XCTFail("round \(round), \(format): encoder output refused: \(error)\n\(String(decoding: bytes, as: UTF8.self))")
                    continue
                }
                let expected = Self.expectedValues(snapshots, format: format)
                XCTAssertEqual(samples.map(\.value.bitPattern), expected.values.map(\.bitPattern), "round \(round), \(format)")
                XCTAssertEqual(samples.map(\.labels), expected.labels, "round \(round), \(format)")
            }
        }
    }

    /// Inputs built to be slow if any step were worse than linear: each must finish promptly.
    func testPathologicalInputsFinishInLinearTime() {
        let megabyte = 1 << 20
        let labels = (0..<100_000).map { "l\($0)=\"\($0)\"" }.joined(separator: ",")
        let inputs: [(String, [UInt8])] = [
            ("one huge label value", Array(("a{x=\"" + String(repeating: "\\\"é", count: megabyte / 3) + "\"} 1\n").utf8)),
            ("100,000 labels in one sample", Array(("a{" + labels + "} 1\n").utf8)),
            ("an unterminated label value", Array(("a{x=\"" + String(repeating: "y", count: megabyte)).utf8)),
            ("a megabyte of braces", Array(repeating: UInt8(ascii: "{"), count: megabyte)),
            ("a megabyte of line feeds", Array(repeating: UInt8(ascii: "\n"), count: megabyte)),
            ("a megabyte of digits", Array(("a 0." + String(repeating: "1", count: megabyte) + "\n").utf8)),
            ("a megabyte of exponent digits", Array(("a 1e" + String(repeating: "9", count: megabyte) + "\n").utf8)),
            ("100,000 families", Array((0..<100_000).map { "m\($0) \($0)\n" }.joined().utf8)),
            ("100,000 comments", Array(String(repeating: "# \\ { \" # HELP\n", count: 100_000).utf8)),
            ("repeated label sets", Array(String(repeating: "a{x=\"1\",y=\"2\"} 1 5\n", count: 100_000).utf8)),
            ("a megabyte line of spaces", Array(("a" + String(repeating: " ", count: megabyte) + "1\n").utf8)),
        ]
        for (name, bytes) in inputs {
            for format in ExpositionFormat.allCases {
                let start = ContinuousClock.now
                _ = try? ExpositionParser.parse(bytes, format: format)
                let elapsed = ContinuousClock.now - start
                XCTAssertLessThan(elapsed, .seconds(10), "\(name) in \(format) took \(elapsed)")
            }
        }
    }

    // MARK: Checking one input

    /// Parses `input`; checks the error if it fails, the result if it reads. Returns whether it read.
    private func check(_ input: [UInt8], format: ExpositionFormat, index: Int) -> Bool {
        if index % 4 == 0 { checkStreaming(input, format: format, batchSize: 1 + index % 9, index: index) }
        let families: [ScrapedFamily]
        do {
            families = try ExpositionParser.parseFamilies(input, format: format)
        } catch {
            let lines = input.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            if !(1...lines).contains(error.line) || error.reason.isEmpty || !error.description.hasPrefix("line \(error.line): ") {
                XCTFail("input \(index) in \(format): bad error \(error) for \(lines) lines: \(Self.show(input))")
            }
            return false
        }
        for family in families {
            for sample in family.samples where !Self.isValidSample(sample) {
                XCTFail("input \(index) in \(format): malformed sample \(sample) from \(Self.show(input))")
            }
        }
        let rendered = Self.render(families, format: format)
        do {
            let again = try ExpositionParser.parseFamilies(rendered, format: format)
            if again != families {
                XCTFail("input \(index) in \(format): reads differently when written out again\n\(Self.show(input))\n\(Self.show(rendered))")
            }
        } catch {
            XCTFail("input \(index) in \(format): written out again, refused with \(error)\n\(Self.show(input))\n\(Self.show(rendered))")
        }
        return true
    }

    /// Read in batches of at most `batchSize`, the input gives the same samples as read whole,
    /// or the same error.
    private func checkStreaming(_ input: [UInt8], format: ExpositionFormat, batchSize: Int, index: Int) {
        var streamed: [ScrapedSample] = []
        var batches = 0
        let whole = Result { () throws(ExpositionParseError) in try ExpositionParser.parse(input, format: format) }
        let outcome = Result { () throws(ExpositionParseError) in
            try ExpositionParser.forEachBatch(input, format: format, batchSize: batchSize) { batch in
                if batch.isEmpty || batch.count > batchSize { XCTFail("input \(index): a batch of \(batch.count) for \(batchSize)") }
                batches += 1
                streamed += batch
                return true
            }
        }
        switch (whole, outcome) {
        case (.success(let samples), .success):
            if samples != streamed { XCTFail("input \(index) in \(format), batches of \(batchSize): streamed samples differ\n\(Self.show(input))") }
            if batches != (samples.count + batchSize - 1) / batchSize { XCTFail("input \(index): \(batches) batches for \(samples.count) samples") }
        case (.failure(let error), .failure(let streamedError)):
            if error != streamedError { XCTFail("input \(index) in \(format): \(error) read whole, \(streamedError) streamed") }
        default:
            XCTFail("input \(index) in \(format): read whole \(whole), streamed \(outcome)\n\(Self.show(input))")
        }
    }

    /// `"name"`, escaped as a label value is: how a name outside the legacy set is written.
    private static func quoted(_ name: String) -> String {
        "\"" + escape(name, quotes: true) + "\""
    }

    /// A sample's names are legacy names, or (read from quotes) any non-empty text.
    private static func isValidSample(_ sample: ScrapedSample) -> Bool {
        !sample.name.isEmpty && !sample.labels.keys.contains("")
            && (sample.timestamp?.isFinite ?? true)
    }

    private static func isName(_ name: String, colon: Bool) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || (colon && $0 == ":")
        }
    }

    // MARK: Writing parsed families out again

    /// The families as an exposition in `format`, written here independently of the encoders.
    private static func render(_ families: [ScrapedFamily], format: ExpositionFormat) -> [UInt8] {
        var text = ""
        for family in families {
            // Names outside the legacy set (the parser reads them quoted) are written quoted.
            let familyName = isName(family.name, colon: true) ? family.name : quoted(family.name)
            if let help = family.help {
                text += "# HELP \(familyName) \(escape(help, quotes: format == .openmetrics))\n"
            }
            let keyword = family.type == .unknown && format == .prometheus ? "untyped" : family.type.rawValue
            text += "# TYPE \(familyName) \(keyword)\n"
            if let unit = family.unit { text += "# UNIT \(familyName) \(unit)\n" }
            for sample in family.samples {
                let pairs = sample.labels.sorted { $0.key < $1.key }.map {
                    "\(isName($0.key, colon: false) ? $0.key : quoted($0.key))=\"\(escape($0.value, quotes: true))\""
                }
                if isName(sample.name, colon: true) {
                    text += sample.name + (pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}")
                } else {
                    text += "{" + ([quoted(sample.name)] + pairs).joined(separator: ",") + "}"
                }
                text += " " + formatSampleValue(sample.value, for: format)
                if let timestamp = sample.timestamp {
                    text += " " + (format == .openmetrics ? "\(timestamp)" : milliseconds(timestamp))
                }
                if let exemplar = sample.exemplar {
                    let pairs = exemplar.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(escape($0.value, quotes: true))\"" }
                    text += " # {" + pairs.joined(separator: ",") + "} " + formatSampleValue(exemplar.value, for: format)
                    if let timestamp = exemplar.timestamp { text += " \(timestamp)" }
                }
                text += "\n"
            }
        }
        if format == .openmetrics { text += "# EOF\n" }
        return Array(text.utf8)
    }

    private static func escape(_ text: String, quotes: Bool) -> String {
        var escaped = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\"" where quotes: escaped += "\\\""
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// The integer milliseconds that 0.0.4 reads back as `seconds`.
    private static func milliseconds(_ seconds: Double) -> String {
        let scaled = (seconds * 1000).rounded()
        let guess = scaled >= 9.2e18 ? Int64.max : Int64(scaled)
        for candidate in [guess, guess - 1, guess &+ 1, guess - 2, guess &+ 2] where candidate >= 0 && Double(candidate) / 1000 == seconds {
            return String(candidate)
        }
        return "no-milliseconds-for-\(seconds)"
    }

    private static func show(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(2000), as: UTF8.self).debugDescription
    }

    // MARK: Inputs

    /// Valid expositions to mutate: both encoders' output and hand-written lines using every rule.
    private static func seeds() throws -> [(bytes: [UInt8], format: ExpositionFormat)] {
        var random = SplitMix64(seed: 7)
        var seeds: [(bytes: [UInt8], format: ExpositionFormat)] = []
        for _ in 0..<4 {
            let snapshots = try randomRegistry(using: &random).collect()
            seeds.append((ExpositionFormat.prometheus.encode(snapshots), .prometheus))
            seeds.append((ExpositionFormat.openmetrics.encode(snapshots), .openmetrics))
            seeds.append((OpenMetricsEncoder(includeCreated: true).encode(snapshots), .openmetrics))
        }
        let handWritten = [
            #"""
            # A comment
            # HELP a_total Help with \\ and \n.
            # TYPE a_total counter
            a_total{method="GET",path="/x\"y\"",} 1027 1700000000123
            a_total { method = "POST" } +Inf
            # TYPE h histogram
            h_bucket{le="0.5"} 1
            h_bucket{le="+Inf"} 2
            h_sum 0.25e1
            h_count 2
            	untyped_metric	-0.5E-3	42

            x:y:z{a="ü\\"} NaN
            """#,
            #"""
            # HELP latency_seconds Latency \"q\" \\ \n.
            # TYPE latency_seconds histogram
            # UNIT latency_seconds seconds
            latency_seconds_bucket{le="0.1"} 1.0 1700000000.5 # {trace_id="abc"} 0.05 1700000000.25
            latency_seconds_bucket{le="+Inf"} 2.0 1700000000.5
            latency_seconds_count 2 1700000000.5
            latency_seconds_sum 0.3 1700000000.5
            latency_seconds_created 1.7e9 1700000000.5
            # TYPE jobs counter
            jobs_total{queue="mail"} 3 # {} 1
            # TYPE state stateset
            state{state="on"} 1
            # TYPE build info
            build_info{version="1.0"} 1
            # TYPE q gaugehistogram
            q_bucket{le="+Inf"} 1
            q_gcount 1
            q_gsum 2
            # TYPE s summary
            s{quantile="0.99"} +Inf
            s_sum 1
            s_count 1
            # EOF
            """#,
        ]
        seeds.append((Array(handWritten[0].utf8), .prometheus))
        seeds.append((Array(handWritten[1].utf8), .openmetrics))
        for seed in seeds {
            XCTAssertNoThrow(try ExpositionParser.parse(seed.bytes, format: seed.format), "seeds are valid")
        }
        return seeds
    }

    private static let specialBytes: [UInt8] = Array("\"\\{},=# \t\n\r_:e.+-0".utf8) + [0, 0xFF, 0xC3, 0x80]

    private static let specialTokens = [
        "NaN", "+Inf", "-Inf", "inf", "1e309", "-1e-400", String(repeating: "9", count: 400), "0x1p3", "9223372036854775808",
        "\n# EOF\n", "# EOF", "\n# TYPE x counter\n", "\n# HELP x y\\\n", "\\n", "\\\"", "\\", "{}", "{a=\"b\",}", "le=\"+Inf\"",
        " # {a=\"b\"} 1 2", "_total", "_created", "_bucket", "\n# UNIT x y\n", "\u{1F389}", "\t", "  ", "\"",
    ]

    /// A seed with one to four random edits, fewer more often; `donors` give lines to splice in.
    private static func mutate(
        _ seed: [UInt8], splicing donors: [(bytes: [UInt8], format: ExpositionFormat)], using random: inout SplitMix64
    ) -> [UInt8] {
        var bytes = seed
        for _ in 0...Int(random.next() % 4 * (random.next() % 2)) {
            let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count + 1))
            switch random.next() % 9 {
            case 0 where position < bytes.count:
                bytes[position] ^= UInt8(1) << (random.next() % 8)
            case 1:
                bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
            case 2:
                bytes.insert(specialBytes[Int(random.next() % UInt64(specialBytes.count))], at: position)
            case 3:
                bytes.insert(contentsOf: specialTokens[Int(random.next() % UInt64(specialTokens.count))].utf8, at: position)
            case 4:
                let end = min(bytes.count, position + 1 + Int(random.next() % 16))
                bytes.removeSubrange(position..<end)
            case 5:
                let end = min(bytes.count, position + 1 + Int(random.next() % 32))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            case 6:
                bytes.removeSubrange(position...)
            case 7:
                let donor = donors[Int(random.next() % UInt64(donors.count))].bytes
                let lines = donor.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                let line = lines[Int(random.next() % UInt64(lines.count))]
                bytes.insert(contentsOf: line + [UInt8(ascii: "\n")], at: lineStart(in: bytes, at: position))
            default:
                var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                if lines.count > 1 {
                    lines.swapAt(Int(random.next() % UInt64(lines.count)), Int(random.next() % UInt64(lines.count)))
                    bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
                }
            }
        }
        return bytes
    }

    private static func lineStart(in bytes: [UInt8], at position: Int) -> Int {
        var start = min(position, bytes.count)
        while start > 0, bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
        return start
    }

    /// Up to 200 bytes, half of them drawn from the characters expositions are made of.
    private static func randomBytes(using random: inout SplitMix64) -> [UInt8] {
        let alphabet = Array("a_b:{}=\",# \t\n\\0123456789.eE+-InfNaHELPTYPEUNIT".utf8)
        return (0..<Int(random.next() % 201)).map { _ in
            random.next() % 2 == 0 ? alphabet[Int(random.next() % UInt64(alphabet.count))] : UInt8(truncatingIfNeeded: random.next())
        }
    }

    // MARK: Random registries

    /// A registry of every metric type with random names, hostile label values and random values.
    private static func randomRegistry(using random: inout SplitMix64) throws -> Registry {
        let registry = Registry(clock: ManualClock(Double(random.next() % 2_000_000_000) + 0.5))
        let counters = try registry.makeCounterFamily(
            name: "c\(random.next() % 100)_total", help: randomText(using: &random), labelNames: ["a", "b"])
        let gauges = try registry.makeGaugeFamily(name: "g:\(random.next() % 100)", help: randomText(using: &random), labelNames: ["x"])
        let histograms = try registry.makeHistogramFamily(
            name: "h\(random.next() % 100)_seconds", help: randomText(using: &random), labelNames: ["path"],
            buckets: [0.001, 0.5, 3, 1e9], unit: "seconds")
        let summaries = try registry.makeSummaryFamily(
            name: "s\(random.next() % 100)", help: "", labelNames: ["q"],
            objectives: [SummaryObjective(quantile: 0.5, error: 0.01), SummaryObjective(quantile: 0.9, error: 0.01)])
        for _ in 0..<Int(random.next() % 4) {
            try counters.labels(randomText(using: &random), randomText(using: &random))
                .inc(by: Double(random.next() % 1_000_000) / Double(1 + random.next() % 1000))
            var value = Double(bitPattern: random.next())
            if random.next() % 4 == 0 { value = [.nan, .infinity, -.infinity, 0][Int(random.next() % 4)] }
            try gauges.labels(randomText(using: &random)).set(value)
            let histogram = try histograms.labels(randomText(using: &random))
            let summary = try summaries.labels(randomText(using: &random))
            for _ in 0..<Int(random.next() % 5) {
                let observation = Double(random.next() % 10_000) / 100
                histogram.observe(observation)
                summary.observe(observation)
            }
        }
        return registry
    }

    /// Up to 12 characters, often the ones the escaping rules exist for.
    private static func randomText(using random: inout SplitMix64) -> String {
        let pieces = ["\"", "\\", "\n", "\\n", "{", "}", ",", "=", " ", "#", "é", "☃", "🎉", "a", "Z", "0", "\t", "\u{0}"]
        return (0..<Int(random.next() % 13)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
    }

    /// The values and labels the encoders promise, sample by sample, from the snapshots alone.
    private static func expectedValues(
        _ snapshots: [MetricFamilySnapshot], format: ExpositionFormat
    ) -> (values: [Double], labels: [[String: String]]) {
        var values: [Double] = []
        var labels: [[String: String]] = []
        for family in snapshots {
            for series in family.series {
                let own = Dictionary(uniqueKeysWithValues: zip(family.labelNames, series.labelValues))
                func add(_ value: Double, _ extra: (String, Double)? = nil) {
                    var all = own
                    if let (name, bound) = extra { all[name] = formatSampleValue(bound, for: format) }
                    values.append(value)
                    labels.append(all)
                }
                switch series.value {
                case .counter(let value), .gauge(let value):
                    add(value)
                case .histogram(let histogram):
                    for (index, count) in histogram.cumulativeCounts.enumerated() {
                        add(Double(count), ("le", index < histogram.upperBounds.count ? histogram.upperBounds[index] : .infinity))
                    }
                    add(histogram.sum)
                    add(Double(histogram.count))
                case .summary(let summary):
                    for quantile in summary.quantiles { add(quantile.value, ("quantile", quantile.quantile)) }
                    add(summary.sum)
                    add(Double(summary.count))
                }
            }
        }
        return (values, labels)
    }
}

/// SplitMix64: a tiny, fast, seedable generator, so every run sees the same inputs.
/// See https://prng.di.unimi.it/splitmix64.c
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
