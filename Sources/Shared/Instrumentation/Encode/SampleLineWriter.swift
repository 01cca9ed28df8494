import Platform

/// Writes the lines both text formats share: `# HELP`/`# TYPE` and sample lines.
///
/// A sample line is `name{label="value",…} value`: the braces only when there are
/// labels, label values escaped, the value formatted for the format.
///
/// A scrape of ten thousand series is half a megabyte written in pieces of a few bytes,
/// so the writer writes through a pointer: appending to an `[UInt8]` checks uniqueness
/// and capacity on every piece and costs several times more. Each write first makes
/// room for its largest possible size, then writes unchecked. The bytes that repeat are
/// prepared once: a family's sample name and `label="` pieces when the family starts, a
/// series' escaped label pairs when its first line is written (a histogram writes one
/// line per bucket, then `_sum` and `_count`, all with the same pairs).
package struct SampleLineWriter: ~Copyable {
    let format: ExpositionFormat
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    /// Whether `base` was allocated here (and must be freed here), rather than lent by `encode`.
    private var ownsBuffer: Bool
    /// The current family's name, then each label's `,name="` piece (the first without
    /// the comma). Kept in memory of the writer's own, not arrays: reading an array that is
    /// a stored property retains and releases it, and that is paid on every line.
    private var familyBytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)
    /// Where the name and each label piece end in `familyBytes`.
    private var familyPieceEnds = UnsafeMutableBufferPointer<Int>.allocate(capacity: 16)

    /// A writer into a buffer of its own.
    package init(format: ExpositionFormat, capacity: Int) {
        self.format = format
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
        ownsBuffer = true
    }

    private init(format: ExpositionFormat, lending buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.format = format
        capacity = buffer.count
        base = buffer.baseAddress!
        ownsBuffer = false
    }

    deinit {
        if ownsBuffer { base.deallocate() }
        familyBytes.deallocate()
        familyPieceEnds.deallocate()
    }

    /// The bytes that `body` writes, as an array.
    ///
    /// The writer writes straight into the array's storage, sized `capacity`, so a good
    /// estimate costs no copy; when the estimate is short the writer moves to a buffer of
    /// its own, and the result is copied from there once at the end.
    static func encode(format: ExpositionFormat, capacity: Int, _ body: (inout SampleLineWriter) -> Void) -> [UInt8] {
        var overflow: [UInt8]?
        let array = [UInt8](unsafeUninitializedCapacity: max(capacity, 64)) { buffer, initialized in
            var writer = SampleLineWriter(format: format, lending: buffer)
            body(&writer)
            if writer.ownsBuffer {
                overflow = writer.bytes
                initialized = 0
            } else {
                initialized = writer.count
            }
        }
        return overflow ?? array
    }

    /// The bytes written so far, as an array.
    package var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    // MARK: Lines

    /// `# KEYWORD name text`; the text escaped as HELP text is when `escapeText` is set.
    package mutating func appendComment(_ keyword: StaticString, name: String, text: String, escapeText: Bool = false) {
        write("# ")
        write(keyword)
        write(" ")
        write(name)
        write(" ")
        if escapeText {
            reserve(2 * text.utf8.count)
            count += Self.writeEscaped(text, escapingQuotes: format == .openmetrics, to: base + count)
        } else {
            write(text)
        }
        write("\n")
    }

    /// The raw text of a line, as given.
    package mutating func appendRaw(_ text: StaticString) {
        write(text)
    }

    /// Prepares the pieces every sample line of a family starts with: its sample name
    /// (without suffix) and its label names.
    mutating func beginFamily(name: String, labelNames: [String]) {
        var pieces = Array(name.utf8)
        var ends = [pieces.count]
        for (index, label) in labelNames.enumerated() {
            if index > 0 { pieces.append(UInt8(ascii: ",")) }
            pieces.append(contentsOf: label.utf8)
            pieces.append(contentsOf: "=\"".utf8)
            ends.append(pieces.count)
        }
        if pieces.count > familyBytes.count {
            familyBytes.deallocate()
            familyBytes = .allocate(capacity: pieces.count)
        }
        if ends.count > familyPieceEnds.count {
            familyPieceEnds.deallocate()
            familyPieceEnds = .allocate(capacity: ends.count)
        }
        _ = familyBytes.initialize(from: pieces)
        _ = familyPieceEnds.initialize(from: ends)
    }

    /// One sample line of the current series of the current family; `extra` is the `le`
    /// or `quantile` label that histograms and summaries add last.
    ///
    /// Room for the whole line is made once, from the longest it can be, and the line is
    /// then written through a local pointer without further checks.
    mutating func appendSample(
        suffix: StaticString, labels: inout SeriesLabels, extra: (name: StaticString, value: Double)? = nil, value: Double
    ) {
        let values = labels.values
        let nameLength = familyPieceEnds[0]
        var longest = nameLength + suffix.utf8CodeUnitCount + extraRoom + 2 * SampleValueText.maximumLength
        if let prepared = labels.prepared {
            longest += prepared.count
        } else if let written = labels.written {
            longest += written.count
        } else if !values.isEmpty {
            longest += familyPieceEnds[values.count] - nameLength
            // Escaping at most doubles a value; each is followed by its closing quote.
            for value in values { longest += 2 * value.utf8.count + 1 }
        }
        reserve(longest)

        var out = base + count
        copyBytes(from: familyBytes.baseAddress!, to: out, count: nameLength)
        out += nameLength
        copyBytes(from: suffix.utf8Start, to: out, count: suffix.utf8CodeUnitCount)
        out += suffix.utf8CodeUnitCount
        if !values.isEmpty || extra != nil {
            out.put(UInt8(ascii: "{"))
            if let prepared = labels.prepared {
                copyBytes(from: prepared.baseAddress!, to: out, count: prepared.count)
                out += prepared.count
            } else if let written = labels.written {
                copyBytes(from: base + written.lowerBound, to: out, count: written.count)
                out += written.count
            } else if !values.isEmpty {
                let start = out - base
                out = writeLabelPairs(values, to: out)
                labels.written = start..<(out - base)
            }
            if let extra {
                if !values.isEmpty { out.put(UInt8(ascii: ",")) }
                copyBytes(from: extra.name.utf8Start, to: out, count: extra.name.utf8CodeUnitCount)
                out += extra.name.utf8CodeUnitCount
                out.put(UInt8(ascii: "="))
                out.put(UInt8(ascii: "\""))
                out += SampleValueText.write(extra.value, for: format, to: out)
                out.put(UInt8(ascii: "\""))
            }
            out.put(UInt8(ascii: "}"))
        }
        out.put(UInt8(ascii: " "))
        out += SampleValueText.write(value, for: format, to: out)
        out.put(UInt8(ascii: "\n"))
        count = out - base
    }

    /// Room for the braces, separators and quotes of a line and the name of its extra label.
    private var extraRoom: Int { 32 }

    /// Writes `name="value",…` for the current family's label names at `out`, which has
    /// room for it, and returns where it ended.
    private func writeLabelPairs(_ values: UnsafeBufferPointer<String>, to out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var out = out
        for index in values.indices {
            let start = familyPieceEnds[index]
            let length = familyPieceEnds[index + 1] - start
            copyBytes(from: familyBytes.baseAddress! + start, to: out, count: length)
            out += length
            out += Self.writeEscaped(values[index], escapingQuotes: true, to: out)
            out.put(UInt8(ascii: "\""))
        }
        return out
    }

    /// One sample line with its name and label pairs given whole (names and values in the same
    /// order), and its exemplar if it has one (OpenMetrics only).
    package mutating func appendSample(
        name: String, suffix: StaticString, labelNames: [String], labelValues: [String], value: Double, exemplar: Exemplar? = nil
    ) {
        beginFamily(name: name, labelNames: labelNames)
        labelValues.withUnsafeBufferPointer { values in
            var labels = SeriesLabels(values: values)
            appendSample(suffix: suffix, labels: &labels, value: value)
        }
        if let exemplar { appendExemplar(exemplar) }
    }

    /// The `le` bucket lines, `_sum` and `_count` of a histogram series, in the format's order;
    /// each bucket's exemplar after its line, when `exemplars` (one per bucket, or none) has one.
    mutating func appendHistogram(
        labels: inout SeriesLabels, _ histogram: HistogramSnapshot, exemplars: UnsafeBufferPointer<Exemplar?> = .init(start: nil, count: 0)
    ) {
        histogram.cumulativeCounts.withUnsafeBufferPointer { counts in
            histogram.upperBounds.withUnsafeBufferPointer { bounds in
                for index in counts.indices {
                    let bound = index < bounds.count ? bounds[index] : .infinity
                    appendSample(suffix: "_bucket", labels: &labels, extra: ("le", bound), value: Double(counts[index]))
                    if index < exemplars.count, let exemplar = exemplars[index] { appendExemplar(exemplar) }
                }
            }
        }
        appendSums(labels: &labels, sum: histogram.sum, count: histogram.count)
    }

    /// Adds `exemplar` to the line just written: ` # {name="value",…} value [timestamp]`,
    /// the labels sorted by name and escaped as label values are. OpenMetrics only: in the
    /// 0.0.4 format, which has no place for exemplars, it writes nothing.
    ///
    /// Written after the line rather than inside it, so that lines without an exemplar, nearly
    /// all of them, take not even a branch more.
    package mutating func appendExemplar(_ exemplar: Exemplar) {
        guard format == .openmetrics else { return }
        // Step back over the line's line feed, and write it again at the end.
        count -= 1
        write(" # {")
        for (index, label) in exemplar.labels.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { write(",") }
            write(label.key)
            write("=\"")
            reserve(2 * label.value.utf8.count + 1)
            count += Self.writeEscaped(label.value, escapingQuotes: true, to: base + count)
            write("\"")
        }
        write("} ")
        writeNumber(exemplar.value)
        if let timestamp = exemplar.timestamp {
            write(" ")
            writeNumber(timestamp)
        }
        write("\n")
    }

    /// Writes `value` as the format writes sample values.
    private mutating func writeNumber(_ value: Double) {
        reserve(SampleValueText.maximumLength)
        count += SampleValueText.write(value, for: format, to: base + count)
    }

    /// The quantile lines, `_sum` and `_count` of a summary series.
    mutating func appendSummary(labels: inout SeriesLabels, _ summary: SummarySnapshot) {
        for quantile in summary.quantiles {
            appendSample(suffix: "", labels: &labels, extra: ("quantile", quantile.quantile), value: quantile.value)
        }
        appendSums(labels: &labels, sum: summary.sum, count: summary.count)
    }

    // 0.0.4 clients write _sum before _count; OpenMetrics' reference parser reads either order.
    private mutating func appendSums(labels: inout SeriesLabels, sum: Double, count: UInt64) {
        appendSample(suffix: "_sum", labels: &labels, value: sum)
        appendSample(suffix: "_count", labels: &labels, value: Double(count))
    }

    // MARK: Pieces

    /// Writes `text` escaped for a label value or HELP line (see `LabelEscaping`) at
    /// `out`, which has room for twice its length, and returns how many bytes it wrote.
    // Inlined, and reading the bytes without a generic helper in between: each label value
    // of each series comes through here, and a call through a closure parameter costs more
    // than the escaping itself.
    @inline(__always)
    private static func writeEscaped(_ text: String, escapingQuotes: Bool, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let written = text.utf8.withContiguousStorageIfAvailable { bytes in
            LabelEscaping.write(bytes, escapingQuotes: escapingQuotes, to: out)
        }
        return written ?? Array(text.utf8).withUnsafeBufferPointer {
            LabelEscaping.write($0, escapingQuotes: escapingQuotes, to: out)
        }
    }

    private mutating func write(_ text: String) {
        withUTF8(of: text) { write($0) }
    }

    private mutating func write(_ text: StaticString) {
        write(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        copyBytes(from: source, to: base + count, count: bytes.count)
        count += bytes.count
    }

    /// Makes room for `extra` more bytes, doubling the buffer when it is short.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count &+ extra > capacity { grow(toHold: count + extra) }
    }

    @inline(never)
    private mutating func grow(toHold needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        if ownsBuffer { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsBuffer = true
    }
}
