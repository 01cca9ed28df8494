import Instrumentation

extension ExpositionParser {
    /// Sorts samples into metric families as the lines arrive, and holds the families to
    /// the rules both formats share.
    ///
    /// A family opens at its first metadata line (`# HELP`, `# TYPE`, `# UNIT`) or, with no
    /// metadata, at a sample whose name no open family owns. Its type says which sample names
    /// it owns: a histogram `x` owns `x_bucket`, `x_sum` and `x_count`. Both formats require
    /// a family's lines to stay together, its metadata before its samples and each metadata
    /// line at most once, so a name that comes back after another family is an error rather
    /// than a second, silently separate family.
    ///
    /// In OpenMetrics a family also claims every sample name its type could write as soon as
    /// its `# TYPE` line comes, so that no two families can clash over a name (a gauge
    /// `a_created` and a counter `a`, in either order), and each sample goes through the
    /// `OpenMetricsChecker` for the rules of its type.
    struct FamilyGrouper {
        /// A finished family: its metadata and where its samples lie in `samples`.
        struct Record {
            /// The family name.
            let name: String
            /// Its declared type, `.unknown` without a `# TYPE` line.
            let type: ScrapedFamily.DeclaredType
            /// Its `# HELP` text, if any.
            let help: String?
            /// Its `# UNIT`, if any.
            let unit: String?
            /// The indices of its samples in `samples`.
            let samples: Range<Int>
        }

        /// One metadata line's content.
        enum Metadata {
            /// `# HELP`, with the text unescaped.
            case help(String)
            /// `# TYPE`.
            case type(ScrapedFamily.DeclaredType)
            /// `# UNIT`.
            case unit(String)

            /// The line's keyword, for messages.
            var keyword: String {
                switch self {
                case .help: "# HELP"
                case .type: "# TYPE"
                case .unit: "# UNIT"
                }
            }
        }

        /// The family still taking samples.
        private struct OpenFamily {
            /// The family name.
            let name: String
            /// The declared type, `.unknown` until a `# TYPE` line says otherwise.
            var type = ScrapedFamily.DeclaredType.unknown
            /// Whether a `# TYPE` line came, so that a second one is an error.
            var typeDeclared = false
            /// The `# HELP` text, once it came.
            var help: String?
            /// The `# UNIT`, once it came.
            var unit: String?
            /// The index in `samples` of the family's first sample (or of the next sample to come).
            let firstSample: Int
        }

        /// A sample name the open family owns, and whether it is in `usedNames` yet.
        private struct SampleName {
            /// The full sample name, `latency_seconds_bucket`.
            let string: String
            /// What the samples of this name are in the family.
            let role: SampleRole
            /// Whether the name has been claimed in `usedNames`: the family name when the family
            /// opens; a suffixed name in OpenMetrics at the `# TYPE` line, in 0.0.4 when a sample
            /// first uses it or when the family closes.
            var claimed: Bool
        }

        /// The format being read, which decides the sample names each type owns.
        let format: ExpositionFormat
        /// Every sample so far, in exposition order, but those `takeSamples` took.
        private(set) var samples: [ScrapedSample] = []
        /// How many samples `takeSamples` took.
        private var taken = 0
        /// How many samples there have been: the position of the next one.
        var count: Int { taken + samples.count }
        /// The finished families, in exposition order.
        private(set) var families: [Record] = []
        /// The family taking samples now, while `isOpen`; kept out of an optional so that
        /// metadata lines update it in place.
        private var open = OpenFamily(name: "", firstSample: 0)
        /// Whether a family is open.
        private var isOpen = false
        /// The names the open family owns; compared byte for byte on every sample.
        private var sampleNames: [SampleName] = []
        /// The names of every family so far and the sample names they own: none may come back.
        ///
        /// A name goes in when it is first needed, and inserting is how it is checked, so each
        /// name is hashed once.
        private var usedNames: Set<String> = []
        /// The role of the sample `sampleName` last named.
        private var currentRole = SampleRole.plain
        /// The OpenMetrics rules of each type, applied to the open family's samples.
        private var checker = OpenMetricsChecker()

        /// An empty grouper with room for `expectedSamples` samples.
        init(format: ExpositionFormat, expectedSamples: Int) {
            self.format = format
            samples.reserveCapacity(expectedSamples)
        }

        /// Applies a metadata line for the family named by the bytes `nameBytes`, opening the
        /// family if it is new.
        mutating func declare(_ metadata: Metadata, family nameBytes: UnsafeBufferPointer<UInt8>, line: Int) throws(ExpositionParseError) {
            if isOpen, Self.spells(open.name, nameBytes) {
                guard count == open.firstSample else {
                    throw ExpositionParseError(
                        line: line, reason: "\(metadata.keyword) for \(open.name) comes after its samples; a family's metadata lines come first")
                }
            } else {
                try openFamily(String(decoding: nameBytes, as: UTF8.self), line: line)
            }
            let name = open.name
            switch metadata {
            case .help(let text):
                guard open.help == nil else { throw Self.repeated(metadata, name, line) }
                open.help = text
            case .type(let type):
                guard !open.typeDeclared else { throw Self.repeated(metadata, name, line) }
                open.type = type
                open.typeDeclared = true
                try refuseUnit(open.unit, of: type, line: line)
                let suffixes = ExpositionParser.sampleSuffixes(of: type, in: format)
                // A gauge, like a family without `# TYPE`, owns just its own name, already listed.
                if suffixes.count > 1 || suffixes[0] != "" {
                    sampleNames.removeAll(keepingCapacity: true)
                    for suffix in suffixes {
                        let owned = suffix.isEmpty ? name : name + suffix
                        let claimNow = format == .openmetrics && !suffix.isEmpty
                        if claimNow { try claim(owned, line: line) }
                        sampleNames.append(SampleName(string: owned, role: SampleRole(suffix: suffix), claimed: suffix.isEmpty || claimNow))
                    }
                }
            case .unit(let unit):
                guard open.unit == nil else { throw Self.repeated(metadata, name, line) }
                guard unit.isEmpty || name.hasSuffix("_" + unit) else {
                    throw ExpositionParseError(
                        line: line, reason: "unit \"\(unit)\" must be the suffix of the metric name \(name) (name it \(name)_\(unit))")
                }
                try refuseUnit(unit, of: open.type, line: line)
                open.unit = unit
            }
        }

        /// The string for sample name `bytes`, after moving to the family that owns it.
        ///
        /// Consecutive samples of one family share the name strings, so a name costs one
        /// allocation per family rather than one per sample.
        mutating func sampleName(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws(ExpositionParseError) -> String {
            for index in sampleNames.indices where Self.spells(sampleNames[index].string, bytes) {
                if !sampleNames[index].claimed {
                    try claim(sampleNames[index].string, line: line)
                    sampleNames[index].claimed = true
                }
                currentRole = sampleNames[index].role
                return sampleNames[index].string
            }
            let name = String(decoding: bytes, as: UTF8.self)
            if isOpen, open.name == name {
                let owned = ExpositionParser.sampleSuffixes(of: open.type, in: format).map { name + $0 }
                throw ExpositionParseError(
                    line: line,
                    reason: "sample \(name) does not belong to the \(open.type.rawValue) \(name): its samples are named "
                        + owned.joined(separator: ", "))
            }
            try openFamily(name, line: line)
            currentRole = .plain
            return name
        }

        /// Adds a sample to the open family (the one `sampleName` moved to), in OpenMetrics
        /// after checking it against its type's rules; `exemplar` is the value of the
        /// exemplar the line carried, if any, and `labelsDigest` the labels' `labelSetDigest`.
        mutating func append(_ sample: ScrapedSample, exemplar: Double?, labelsDigest: UInt64, line: Int) throws(ExpositionParseError) {
            if format == .openmetrics {
                if count == open.firstSample { checker.begin(family: open.name, type: open.type) }
                try checker.check(sample, role: currentRole, exemplar: exemplar, labelsDigest: labelsDigest, line: line)
            }
            samples.append(sample)
        }

        /// The samples read since the last call, handed over: a reader that streams them keeps
        /// only a batch in memory. The families' `samples` ranges still count them.
        mutating func takeSamples() -> [ScrapedSample] {
            var batch: [ScrapedSample] = []
            batch.reserveCapacity(samples.count)
            swap(&batch, &samples)
            taken += batch.count
            return batch
        }

        /// Closes the last family; call once, after the last line.
        mutating func finish() throws(ExpositionParseError) {
            try closeFamily()
        }

        /// Closes the open family and opens the family `name`, taking its name.
        private mutating func openFamily(_ name: String, line: Int) throws(ExpositionParseError) {
            try closeFamily()
            if format == .openmetrics, name.utf8.starts(with: "__".utf8) {
                throw ExpositionParseError(
                    line: line, reason: "metric name \(name) starts with \"__\"; such names are reserved in OpenMetrics")
            }
            try claim(name, line: line)
            open = OpenFamily(name: name, firstSample: count)
            isOpen = true
            sampleNames.append(SampleName(string: name, role: .plain, claimed: true))
        }

        /// Refuses a non-empty unit on an info or stateset family: their values have no unit.
        private func refuseUnit(_ unit: String?, of type: ScrapedFamily.DeclaredType, line: Int) throws(ExpositionParseError) {
            guard let unit, !unit.isEmpty, type == .info || type == .stateSet else { return }
            throw ExpositionParseError(
                line: line, reason: "\(open.name) is a\(type == .info ? "n" : "") \(type.rawValue), which has no unit; found # UNIT \(unit)")
        }

        /// Finishes the open family, if any, and retires its names.
        private mutating func closeFamily() throws(ExpositionParseError) {
            guard isOpen else { return }
            if format == .openmetrics, count > open.firstSample { try checker.finish() }
            let family = open
            families.append(Record(
                name: family.name, type: family.type, help: family.help, unit: family.unit,
                samples: family.firstSample..<count))
            // Every name the family owned stays taken, used or not: a histogram's `_count` after
            // another family is a stray line of the histogram, not a metric of its own.
            for name in sampleNames where !name.claimed {
                usedNames.insert(name.string)
            }
            isOpen = false
            sampleNames.removeAll(keepingCapacity: true)
        }

        /// Takes `name` for the open family, refusing it when an earlier family has it.
        private mutating func claim(_ name: String, line: Int) throws(ExpositionParseError) {
            guard usedNames.insert(name).inserted else {
                throw ExpositionParseError(
                    line: line, reason: "\(name) was already used by an earlier metric family; a family's lines must be grouped together")
            }
        }

        /// The error for a second metadata line of one kind.
        private static func repeated(_ metadata: Metadata, _ name: String, _ line: Int) -> ExpositionParseError {
            ExpositionParseError(line: line, reason: "second \(metadata.keyword) line for \(name); each family has at most one")
        }

        /// Whether `name` is spelled by `bytes`, compared without making a string of them.
        @inline(__always)
        private static func spells(_ name: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            var name = name
            return name.withUTF8 { Cursor.sameBytes($0, bytes) }
        }
    }

    /// The suffixes of the sample names a family of `type` writes, after the family name.
    ///
    /// In 0.0.4 a counter's family is already named with `_total`; in OpenMetrics its
    /// samples add `_total`, and counters, histograms and summaries may add `_created`.
    static func sampleSuffixes(of type: ScrapedFamily.DeclaredType, in format: ExpositionFormat) -> [String] {
        switch (type, format) {
        case (.counter, .openmetrics): SampleSuffixes.openMetricsCounter
        case (.histogram, .openmetrics): SampleSuffixes.openMetricsHistogram
        case (.histogram, .prometheus): SampleSuffixes.histogram
        case (.summary, .openmetrics): SampleSuffixes.openMetricsSummary
        case (.summary, .prometheus): SampleSuffixes.summary
        case (.gaugeHistogram, _): SampleSuffixes.gaugeHistogram
        case (.info, _): SampleSuffixes.info
        case (.counter, .prometheus), (.gauge, _), (.stateSet, _), (.unknown, _): SampleSuffixes.single
        }
    }

    /// The suffix lists, made once rather than on every `# TYPE` line.
    private enum SampleSuffixes {
        static let openMetricsCounter = ["_total", "_created"]
        static let openMetricsHistogram = ["_bucket", "_count", "_sum", "_created"]
        static let histogram = ["_bucket", "_count", "_sum"]
        static let openMetricsSummary = ["", "_count", "_sum", "_created"]
        static let summary = ["", "_count", "_sum"]
        static let gaugeHistogram = ["_bucket", "_gcount", "_gsum"]
        static let info = ["_info"]
        static let single = [""]
    }

    /// The type a `# TYPE` line names, or nil when the format has no such type.
    ///
    /// 0.0.4 knows counter, gauge, histogram, summary and untyped; OpenMetrics replaces
    /// untyped by unknown and adds gaugehistogram, stateset and info.
    static func declaredType(_ word: UnsafeBufferPointer<UInt8>, in format: ExpositionFormat) -> ScrapedFamily.DeclaredType? {
        let keywords = format == .prometheus ? TypeKeywords.prometheus : TypeKeywords.openMetrics
        for (keyword, type) in keywords
        where Cursor.sameBytes(UnsafeBufferPointer(start: keyword.utf8Start, count: keyword.utf8CodeUnitCount), word) {
            return type
        }
        return nil
    }

    /// The `# TYPE` keywords of each format, compared byte for byte with the line.
    private enum TypeKeywords {
        static let prometheus: [(StaticString, ScrapedFamily.DeclaredType)] = [
            ("counter", .counter), ("gauge", .gauge), ("histogram", .histogram), ("summary", .summary), ("untyped", .unknown),
        ]
        static let openMetrics: [(StaticString, ScrapedFamily.DeclaredType)] = [
            ("counter", .counter), ("gauge", .gauge), ("histogram", .histogram), ("gaugehistogram", .gaugeHistogram),
            ("stateset", .stateSet), ("info", .info), ("summary", .summary), ("unknown", .unknown),
        ]
    }
}
