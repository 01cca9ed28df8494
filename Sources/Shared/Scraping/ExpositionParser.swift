import Platform
import Instrumentation

/// Reads the text expositions a `/metrics` endpoint serves back into samples.
///
/// Both text formats, with the rules Prometheus itself applies (its `textparse` package)
/// and, for OpenMetrics, the specification's grammar:
/// - **0.0.4** (`text/plain; version=0.0.4`): lines `name{label="value",…} value [timestamp]`,
///   spaces or tabs between tokens, blank lines and `#` comments allowed, `# HELP` and
///   `# TYPE` metadata, a trailing comma in a label set allowed, timestamps in integer
///   milliseconds, no final newline needed.
/// - **OpenMetrics 1.0** (`application/openmetrics-text`): single spaces between tokens,
///   no blank lines and no comments besides `# HELP`, `# TYPE` and `# UNIT` (each with a
///   space after the name, even before empty text), timestamps in seconds, exemplars after
///   ` # ` (checked and kept with their sample), and a final `# EOF` line after which nothing may follow.
///   Beyond the grammar, every sample is held to the rules of its family's type, as the
///   specification states them: counter-like values never NaN or negative, whole counts,
///   histogram buckets in order and cumulative up to `+Inf`, `_count` and `_sum` in pairs,
///   the `le`, `quantile` and state labels each type needs, info and state values, exemplars
///   only on counter totals and buckets and at most 128 code points of labels, series that
///   stay together with timestamps that never go back, no unit on info or stateset, no
///   `__` names, and no two families that could write the same sample name (see
///   `OpenMetricsChecker` and `FamilyGrouper`). The 0.0.4 format gets none of these: there
///   the parser takes what Prometheus and promtool take.
///
/// In both, names outside the legacy character set come quoted, as Prometheus 3 writes them:
/// the metric name first inside the braces (`{"my.metric","label.name"="v"} 1`), label names
/// in quotes (`my_metric{"label.name"="v"} 1`), and `# HELP "my.metric" …` in metadata. A
/// quoted name is unescaped as a label value is and must be UTF-8 and not empty; a sample has
/// one name, so a quoted name after a bare one, or a second quoted name, is an error.
/// (Prometheus's own parser also takes the quoted name later in the braces; the grammar it
/// documents, followed here, puts it first.)
///
/// In both, label values are unescaped (`\\`, `\"`, `\n`; any other backslash stays as
/// written, as in Prometheus) and must be UTF-8. Numbers read as Prometheus reads them, with
/// Go's `ParseFloat` minus hex and digit separators: decimals with an optional exponent,
/// `Inf` or `Infinity` with an optional sign and `NaN`, in any case; digits beyond the range
/// of a `Double` are an error, not infinity. Both formats require a family's lines to stay
/// together, metadata first; a sample repeated with the same timestamp is passed on as
/// written (the store keeps the first, as Prometheus does).
///
/// Either the whole exposition reads or an `ExpositionParseError` names the first bad line:
/// a malformed line is never skipped, and a number is never guessed. The parser works on the
/// UTF-8 bytes in one pass, in time linear in their length, allocating little beyond the
/// strings and dictionaries it returns.
/// See https://prometheus.io/docs/instrumenting/exposition_formats/ and
/// https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md
public enum ExpositionParser {
    /// Every sample of the exposition `bytes` in `format`, in the order written.
    public static func parse(_ bytes: some Collection<UInt8>, format: ExpositionFormat) throws(ExpositionParseError) -> [ScrapedSample] {
        try read(bytes, format: format).samples
    }

    /// Every metric family of the exposition `bytes` in `format`, in the order written, each
    /// with its metadata and samples.
    public static func parseFamilies(_ bytes: some Collection<UInt8>, format: ExpositionFormat) throws(ExpositionParseError) -> [ScrapedFamily] {
        let grouper = try read(bytes, format: format)
        return grouper.families.map { family in
            ScrapedFamily(
                name: family.name, type: family.type, help: family.help, unit: family.unit,
                samples: Array(grouper.samples[family.samples]))
        }
    }

    /// Reads the exposition `bytes` in `format` as `parse` does, handing its samples to `body`
    /// in order, in batches of about `batchSize`, instead of returning them all: a large file
    /// is never in memory twice. `body` returns false to stop reading.
    ///
    /// The exposition is checked as it is read, so an error can come after some batches were
    /// handed over: a caller that must take all or nothing keeps them aside until this returns.
    public static func forEachBatch(
        _ bytes: some Collection<UInt8>, format: ExpositionFormat, batchSize: Int = 4_096, _ body: ([ScrapedSample]) -> Bool
    ) throws(ExpositionParseError) {
        let outcome = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(ExpositionParseError) in try stream(buffer, format: format, batchSize: batchSize, body) }
        }
        if let outcome { return try outcome.get() }
        try Array(bytes).withUnsafeBufferPointer { buffer throws(ExpositionParseError) in
            try stream(buffer, format: format, batchSize: batchSize, body)
        }
    }

    private static func stream(
        _ buffer: UnsafeBufferPointer<UInt8>, format: ExpositionFormat, batchSize: Int, _ body: ([ScrapedSample]) -> Bool
    ) throws(ExpositionParseError) {
        var reader = Reader(buffer, format: format, expectedSamples: max(1, batchSize))
        let finished = try reader.readAll(batchSize: max(1, batchSize)) { body($0.takeSamples()) }
        if finished, !reader.grouper.samples.isEmpty { _ = body(reader.grouper.takeSamples()) }
    }

    /// Reads the whole exposition from contiguous bytes, copying them first only when the
    /// collection does not store them contiguously.
    private static func read(_ bytes: some Collection<UInt8>, format: ExpositionFormat) throws(ExpositionParseError) -> FamilyGrouper {
        let outcome = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(ExpositionParseError) -> FamilyGrouper in try read(buffer, format: format) }
        }
        if let outcome { return try outcome.get() }
        return try Array(bytes).withUnsafeBufferPointer { buffer throws(ExpositionParseError) in try read(buffer, format: format) }
    }

    /// Reads the whole exposition in `buffer`.
    private static func read(_ buffer: UnsafeBufferPointer<UInt8>, format: ExpositionFormat) throws(ExpositionParseError) -> FamilyGrouper {
        var reader = Reader(buffer, format: format)
        try reader.readAll()
        return reader.grouper
    }

    /// The state of one parse: where it is, the families so far, and what it can reuse.
    struct Reader {
        /// The grammar's bytes by name, visible in the extensions that read each kind of line.
        typealias Byte = ExpositionParser.Byte

        /// The format being read.
        let format: ExpositionFormat
        /// Where reading is.
        var cursor: Cursor
        /// The samples and families read so far.
        var grouper: FamilyGrouper
        /// Unescaped label values are built here, one value at a time.
        var scratch: [UInt8] = []
        /// The previous sample's label set: its bytes (from after `{` through `}`) and what they read as.
        var previousLabelSet: (bytes: Range<Int>, labels: [String: String], digest: UInt64) = (0..<0, [:], 0)
        /// Where each of the previous sample's label names sits in `previousLabelSet.labels`, by
        /// position; found when a sample first repeats the names, empty until then.
        var labelIndices: [Dictionary<String, String>.Index] = []
        /// The label names of the previous sample, by position, with the bytes they came from.
        var labelNameCache: [CachedString] = []
        /// The label values of the previous sample, by position, with the escaped bytes they came from.
        var labelValueCache: [CachedString] = []
        /// The labels of the sample being read, in order, before they go into a dictionary.
        var pendingLabels: [PendingLabel] = []
        /// The `labelSetDigest` of the last label set read, in OpenMetrics; 0 in 0.0.4.
        var labelSetDigest: UInt64 = 0

        /// A reader at the start of `bytes`, with room for `expectedSamples` samples, or for
        /// as many as the exposition can hold when not given.
        init(_ bytes: UnsafeBufferPointer<UInt8>, format: ExpositionFormat, expectedSamples: Int? = nil) {
            self.format = format
            cursor = Cursor(bytes)
            // One sample per line at most, and a sample line takes at least four bytes (`a 1\n`),
            // so a file of empty lines does not reserve room for millions of samples.
            let room = expectedSamples ?? min(cursor.countLineFeeds() + 1, bytes.count / 4 + 1)
            grouper = FamilyGrouper(format: format, expectedSamples: room)
        }

        /// Reads every line, then closes the last family. Whenever `batchSize` samples are
        /// waiting, `deliver` may take them from the grouper; when it returns false, reading
        /// stops there and this returns false.
        @discardableResult
        mutating func readAll(
            batchSize: Int = .max, _ deliver: (inout FamilyGrouper) -> Bool = { _ in true }
        ) throws(ExpositionParseError) -> Bool {
            while true {
                if grouper.samples.count >= batchSize, !deliver(&grouper) { return false }
                if cursor.isAtEnd {
                    guard format == .prometheus else {
                        throw cursor.error("missing \"# EOF\": an OpenMetrics exposition ends with the line # EOF")
                    }
                    break
                }
                if format == .prometheus { cursor.skipBlanks() }
                switch cursor.current {
                case Byte.lineFeed:
                    guard format == .prometheus else { throw cursor.error("empty line: OpenMetrics does not allow blank lines") }
                    cursor.finishLine()
                case Byte.hash:
                    if try readCommentLine() == .endOfExposition {
                        try grouper.finish()
                        return true
                    }
                default:
                    try readSampleLine()
                }
            }
            try grouper.finish()
            return true
        }
    }

    /// A string made from a range of the exposition, kept to be reused when the same bytes come again.
    ///
    /// A struct rather than a tuple: arrays of tuples copy and destroy their elements through
    /// generic runtime calls, measurably slower on the per-sample path.
    struct CachedString {
        /// Where the bytes the string was made from are.
        let bytes: Range<Int>
        /// The string they make.
        let string: String
        /// The string's `digest` in OpenMetrics, where series are told apart by it; 0 in 0.0.4.
        let digest: UInt64
    }

    /// A label read from the current sample, before it goes into the sample's dictionary.
    struct PendingLabel {
        /// The label name.
        let name: String
        /// Where the name is, for messages.
        let bytes: Range<Int>
        /// The value, unescaped.
        let value: String
        /// Whether the value is the previous sample's at the same position, so that a copy of
        /// the previous sample's labels already holds it.
        let isRepeated: Bool
    }
}

extension Array where Element == ExpositionParser.CachedString {
    /// Keeps `string`, made from the bytes `range`, as the one to reuse at `index`, with its
    /// digest when `digesting`.
    @inline(__always)
    mutating func store(_ string: String, from range: Range<Int>, at index: Int, digesting: Bool) {
        let digest = digesting ? ExpositionParser.digest(string) : 0
        let entry = ExpositionParser.CachedString(bytes: range, string: string, digest: digest)
        if index < count {
            self[index] = entry
        } else {
            append(entry)
        }
    }
}
