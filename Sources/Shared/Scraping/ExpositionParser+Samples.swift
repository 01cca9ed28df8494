import Instrumentation

extension ExpositionParser.Reader {
    /// Reads a sample line: `name{labels} value [timestamp]`, in OpenMetrics optionally
    /// followed by ` # {labels} value [timestamp]`, an exemplar, which is checked and kept.
    /// In OpenMetrics the family grouper then holds the sample to the rules of its type.
    ///
    /// A name outside the legacy character set comes quoted, first inside the braces:
    /// `{"my.metric","label.name"="v"} 1` (Prometheus 3).
    mutating func readSampleLine() throws(ExpositionParseError) {
        var nameRange = cursor.scanMetricName()
        var quotedName: String?
        var labels: [String: String] = [:]
        var labelsDigest: UInt64 = 0
        let hasLabels: Bool
        let blankAfterName: Bool
        if nameRange.isEmpty {
            guard cursor.consume(Byte.openBrace) else {
                let expected = format == .prometheus ? "a metric name, a comment or an empty line" : "a metric name or a # line"
                throw cursor.error("expected \(expected), found \(cursor.found)")
            }
            (nameRange, quotedName) = try readQuotedMetricName()
            (hasLabels, blankAfterName) = (true, false)
            if cursor.consume(Byte.comma) {
                if format == .openmetrics, cursor.current == Byte.closeBrace {
                    throw cursor.error("expected a label name after ',', found \(cursor.found)")
                }
                labels = try readLabelSet()
                labelsDigest = labelSetDigest
            }
        } else {
            blankAfterName = format == .prometheus && cursor.skipBlanks()
            hasLabels = cursor.consume(Byte.openBrace)
            if hasLabels {
                labels = try readLabelSet()
                labelsDigest = labelSetDigest
            }
        }

        let value = try readSampleValue(after: nameRange, hasLabels: hasLabels, blankAfterName: blankAfterName)
        let timestamp: Double?
        var exemplar: Exemplar?
        switch format {
        case .prometheus: timestamp = try readPrometheusLineEnd()
        case .openmetrics: (timestamp, exemplar) = try readOpenMetricsLineEnd()
        }

        let line = cursor.line
        let name = if let quotedName {
            try Array(quotedName.utf8).withUnsafeBufferPointer { bytes throws(ExpositionParseError) in
                try grouper.sampleName(bytes, line: line)
            }
        } else {
            try grouper.sampleName(cursor.slice(nameRange), line: line)
        }
        try grouper.append(
            ScrapedSample(name: name, labels: labels, value: value, timestamp: timestamp, exemplar: exemplar),
            exemplar: exemplar?.value, labelsDigest: labelsDigest, line: cursor.line)
        cursor.finishLine()
    }

    /// Reads a quoted metric name after the `{` it comes first in, through the `,` or `}` after
    /// it (the `,` is left for the caller); returns where its bytes are and the name, unescaped.
    private mutating func readQuotedMetricName() throws(ExpositionParseError) -> (Range<Int>, String) {
        if format == .prometheus { cursor.skipBlanks() }
        guard cursor.consume(Byte.quote) else {
            throw cursor.error(
                "expected a quoted metric name first inside the braces, found \(cursor.found); "
                    + "a sample line starts with a metric name, or with {\"name\" for a name outside [a-zA-Z_:][a-zA-Z0-9_:]*")
        }
        guard let text = cursor.scanQuotedText() else {
            throw cursor.error("unterminated quoted metric name: a quoted name ends with '\"' on the same line")
        }
        if format == .prometheus { cursor.skipBlanks() }
        guard cursor.current == Byte.comma || cursor.consume(Byte.closeBrace) else {
            if cursor.current == Byte.equals {
                throw cursor.error(
                    "\(cursor.quoted(text.range)) is a label name, and the sample has no metric name; "
                        + "a quoted metric name comes first inside the braces: {\"name\",\(cursor.quoted(text.range))=…}")
            }
            throw cursor.error("expected ',' or '}' after the quoted metric name \(cursor.quoted(text.range)), found \(cursor.found)")
        }
        return (text.range, try quotedName(text, kind: "metric name"))
    }

    /// The name in quotes `text`, unescaped as label values are; it must be UTF-8 and not empty.
    mutating func quotedName(_ text: ExpositionParser.Cursor.EscapedText, kind: String) throws(ExpositionParseError) -> String {
        guard let name = unescaped(text, quoteEscape: true) else {
            throw cursor.error("the quoted \(kind) \(cursor.quoted(text.range)) is not valid UTF-8")
        }
        guard !name.isEmpty else { throw cursor.error("empty quoted \(kind): a name has at least one character") }
        return name
    }

    /// Reads the separator and the value after the name and labels.
    private mutating func readSampleValue(after nameRange: Range<Int>, hasLabels: Bool, blankAfterName: Bool) throws(ExpositionParseError) -> Double {
        // Only for messages, so made only when one is thrown.
        func place() -> String {
            hasLabels ? "the labels of \(cursor.text(nameRange))" : "the metric name \(cursor.text(nameRange))"
        }
        switch format {
        case .prometheus:
            // Prometheus takes `name{…}1` as well as `name{…} 1`; after a bare name the blank is
            // what separates name from value.
            let separated = cursor.skipBlanks() || blankAfterName || hasLabels
            if cursor.isAtLineEnd { throw cursor.error("expected a sample value after \(place()), found \(cursor.found)") }
            guard separated else { throw cursor.error("expected a space or '{' after \(place()), found \(cursor.found)") }
        case .openmetrics:
            guard cursor.consume(Byte.space) else {
                throw cursor.error("expected a space and a sample value after \(place()), found \(cursor.found)")
            }
        }
        let token = cursor.scanToken(stoppingAtTabs: format == .prometheus)
        guard !token.isEmpty else { throw cursor.error("expected a sample value after \(place()), found \(cursor.found)") }
        switch ExpositionParser.readNumber(cursor.slice(token)) {
        case .number(let value, _):
            return value
        case .invalid:
            throw cursor.error("invalid sample value \(cursor.quoted(token)): expected a number such as 1, -2.5e3, +Inf, -Inf or NaN")
        case .outOfRange:
            throw cursor.error("sample value \(cursor.quoted(token)) is beyond the range of a 64-bit float")
        }
    }

    /// Reads what may follow a 0.0.4 value: blanks and a timestamp in integer milliseconds.
    private mutating func readPrometheusLineEnd() throws(ExpositionParseError) -> Double? {
        guard cursor.skipBlanks(), !cursor.isAtLineEnd else {
            guard cursor.isAtLineEnd else { throw cursor.error("unexpected \(cursor.found) after the sample value") }
            return nil
        }
        let token = cursor.scanToken(stoppingAtTabs: true)
        let seconds: Double
        switch ExpositionParser.readMilliseconds(cursor.slice(token)) {
        case .number(let value, _):
            seconds = value
        case .invalid:
            throw cursor.error("invalid timestamp \(cursor.quoted(token)): the 0.0.4 format writes integer milliseconds since the epoch")
        case .outOfRange:
            throw cursor.error("timestamp \(cursor.quoted(token)) is too large for 64-bit milliseconds")
        }
        cursor.skipBlanks()
        guard cursor.isAtLineEnd else { throw cursor.error("unexpected \(cursor.found) after the timestamp") }
        return seconds
    }

    /// Reads what may follow an OpenMetrics value: ` timestamp` in seconds, then ` # exemplar`;
    /// returns the timestamp and the exemplar.
    private mutating func readOpenMetricsLineEnd() throws(ExpositionParseError) -> (timestamp: Double?, exemplar: Exemplar?) {
        var timestamp: Double?
        var exemplar: Exemplar?
        if cursor.consume(Byte.space) {
            try cursor.refuseTrailingSpace()
            if cursor.current == Byte.hash {
                exemplar = try readExemplar(expected: "a timestamp or an exemplar (\" # {\") after the value")
            } else {
                timestamp = try readSeconds(what: "timestamp")
                if cursor.consume(Byte.space) {
                    try cursor.refuseTrailingSpace()
                    exemplar = try readExemplar(expected: "an exemplar (\" # {\") after the timestamp")
                }
            }
        }
        guard cursor.isAtLineEnd else {
            throw cursor.error("unexpected \(cursor.found) after the sample; a line ends after the value, timestamp or exemplar")
        }
        return (timestamp, exemplar)
    }

    /// Reads an OpenMetrics timestamp: seconds since the epoch, a finite number.
    private mutating func readSeconds(what: String) throws(ExpositionParseError) -> Double {
        let token = cursor.scanToken(stoppingAtTabs: false)
        guard !token.isEmpty else { throw cursor.error("expected the \(what) after one space, found \(cursor.found)") }
        switch ExpositionParser.readNumber(cursor.slice(token)) {
        case .number(let seconds, isSpecial: false):
            return seconds
        case .number(_, isSpecial: true):
            throw cursor.error("\(what) \(cursor.quoted(token)) is not a finite number of seconds")
        case .invalid:
            throw cursor.error("invalid \(what) \(cursor.quoted(token)): expected seconds since the epoch, such as 1700000000.5")
        case .outOfRange:
            throw cursor.error("\(what) \(cursor.quoted(token)) is beyond the range of a 64-bit float")
        }
    }

    /// Reads and checks an exemplar, `# {trace_id="…"} value [timestamp]`: the link from a
    /// sample to one trace, which the scraper keeps in the store's exemplar buffer.
    ///
    /// Only a line that carries one comes here: a line without an exemplar does no work for it.
    private mutating func readExemplar(expected: String) throws(ExpositionParseError) -> Exemplar {
        guard cursor.consume(Byte.hash), cursor.consume(Byte.space), cursor.consume(Byte.openBrace) else {
            throw cursor.error("expected \(expected), found \(cursor.found)")
        }
        // The limit counts code points of the names and values, not the quotes, commas and braces.
        let labels = try readLabelSet()
        let length = Exemplar.labelLength(labels)
        guard length <= Exemplar.maximumLabelLength else {
            throw cursor.error("the exemplar's labels are \(length) code points long; names and values together may have at most 128")
        }
        guard cursor.consume(Byte.space) else {
            throw cursor.error("expected a space and a value after the exemplar's labels, found \(cursor.found)")
        }
        let token = cursor.scanToken(stoppingAtTabs: false)
        guard case .number(let value, _) = ExpositionParser.readNumber(cursor.slice(token)) else {
            throw cursor.error("invalid exemplar value \(cursor.quoted(token))")
        }
        var timestamp: Double?
        if cursor.consume(Byte.space) {
            try cursor.refuseTrailingSpace()
            timestamp = try readSeconds(what: "exemplar timestamp")
        }
        return Exemplar(checkedLabels: labels, value: value, timestamp: timestamp)
    }

    /// Reads a label set after its `{`, through its `}`; in OpenMetrics sets `labelSetDigest`.
    ///
    /// Building a dictionary, which hashes every name, costs more than reading the line, so
    /// this leans on the previous sample: the same bytes give the same labels, reused as they
    /// are (the `_sum` and `_count` of a series, a series repeated with timestamps); the same
    /// label names in the same order (every series of a family) give a copy of the previous
    /// dictionary with the values replaced in place, which hashes nothing. Name and value
    /// strings are reused by position when their bytes match the previous sample's.
    mutating func readLabelSet() throws(ExpositionParseError) -> [String: String] {
        let start = cursor.position
        let previous = previousLabelSet.bytes
        if !previous.isEmpty, cursor.bytes.count - start >= previous.count,
           cursor.sameBytes(start..<start + previous.count, previous) {
            cursor.advance(by: previous.count)
            labelSetDigest = previousLabelSet.digest
            return previousLabelSet.labels
        }
        pendingLabels.removeAll(keepingCapacity: true)
        var sameNames = true
        while true {
            if format == .prometheus { cursor.skipBlanks() }
            if cursor.current == Byte.closeBrace, pendingLabels.isEmpty || format == .prometheus {
                // `{}`, or in 0.0.4 the brace after a trailing comma.
                cursor.advance()
                break
            }
            var nameRange = cursor.scanLabelName()
            var quotedLabel: (string: String, reused: Bool)?
            if nameRange.isEmpty {
                guard cursor.consume(Byte.quote) else {
                    let expected = pendingLabels.isEmpty ? "a label name or '}'" : "a label name after ','"
                    throw cursor.error("expected \(expected), found \(cursor.found)")
                }
                (nameRange, quotedLabel) = try readQuotedLabelName(at: pendingLabels.count)
            }
            if format == .openmetrics, nameRange.count > 1, cursor.bytes[nameRange.lowerBound] == Byte.underscore,
               cursor.bytes[nameRange.lowerBound + 1] == Byte.underscore {
                throw cursor.error("label name \(cursor.quoted(nameRange)) starts with \"__\"; such names are reserved in OpenMetrics")
            }
            if format == .prometheus { cursor.skipBlanks() }
            guard cursor.consume(Byte.equals) else {
                throw cursor.error("expected '=' after label name \(cursor.quoted(nameRange)), found \(cursor.found)")
            }
            if format == .prometheus { cursor.skipBlanks() }
            guard cursor.consume(Byte.quote) else {
                throw cursor.error("expected '\"' to open the value of label \(cursor.quoted(nameRange)), found \(cursor.found)")
            }
            let index = pendingLabels.count
            let (name, reused) = if let quotedLabel {
                quotedLabel
            } else {
                cursor.string(nameRange, cachedIn: &labelNameCache, at: index, digesting: format == .openmetrics)
            }
            sameNames = sameNames && reused && index < previousLabelSet.labels.count
            let (value, sameValue) = try readLabelValue(of: nameRange, at: index)
            pendingLabels.append(ExpositionParser.PendingLabel(name: name, bytes: nameRange, value: value, isRepeated: sameValue))
            if format == .prometheus { cursor.skipBlanks() }
            if cursor.consume(Byte.comma) { continue }
            if cursor.consume(Byte.closeBrace) { break }
            throw cursor.error("expected ',' or '}' after the value of label \(cursor.quoted(nameRange)), found \(cursor.found)")
        }
        let labels: [String: String]
        if sameNames, pendingLabels.count == previousLabelSet.labels.count, let replaced = replacingPreviousValues() {
            labels = replaced
        } else {
            labels = try Self.makeLabels(pendingLabels, cursor: cursor)
            labelIndices = []
        }
        labelSetDigest = 0
        if format == .openmetrics {
            // Each position's name and value are in the caches at that position now, digests included.
            for index in pendingLabels.indices {
                labelSetDigest &+= ExpositionParser.labelDigest(labelNameCache[index].digest, labelValueCache[index].digest)
            }
        }
        previousLabelSet = (start..<cursor.position, labels, labelSetDigest)
        return labels
    }

    /// Reads a quoted label name after its opening quote, through the closing one, and keeps
    /// it in `labelNameCache` at `index`; returns where its bytes are, the name, unescaped,
    /// and whether it is the previous sample's name at `index`, reused.
    ///
    /// Cached by its bytes as written, as unquoted names are: the same bytes between quotes
    /// always unescape to the same name, and a legacy name reads the same with or without them.
    private mutating func readQuotedLabelName(at index: Int) throws(ExpositionParseError) -> (Range<Int>, (string: String, reused: Bool)) {
        guard let text = cursor.scanQuotedText() else {
            throw cursor.error("unterminated quoted label name: a quoted name ends with '\"' on the same line")
        }
        if format == .prometheus { cursor.skipBlanks() }
        if cursor.current == Byte.comma || cursor.current == Byte.closeBrace {
            throw cursor.error(
                "a second metric name, \(cursor.quoted(text.range)), in one sample; a quoted metric name comes first "
                    + "inside the braces and only when there is no name before them")
        }
        if index < labelNameCache.count, cursor.sameBytes(labelNameCache[index].bytes, text.range) {
            return (text.range, (labelNameCache[index].string, true))
        }
        let name = try quotedName(text, kind: "label name")
        labelNameCache.store(name, from: text.range, at: index, digesting: format == .openmetrics)
        return (text.range, (name, false))
    }

    /// The previous sample's labels with this sample's values, when it has the same names in
    /// the same order: a copy keeps the hash layout of the original, so the indices found once
    /// for the names stay valid and no name is hashed again.
    private mutating func replacingPreviousValues() -> [String: String]? {
        var labels = previousLabelSet.labels
        if labelIndices.isEmpty {
            for label in pendingLabels {
                guard let index = labels.index(forKey: label.name) else { return nil }
                labelIndices.append(index)
            }
        }
        for (index, label) in zip(labelIndices, pendingLabels) where !label.isRepeated {
            labels.values[index] = label.value
        }
        return labels
    }

    /// A new dictionary of the labels just read, refusing a name given twice.
    private static func makeLabels(
        _ pending: [ExpositionParser.PendingLabel], cursor: ExpositionParser.Cursor
    ) throws(ExpositionParseError) -> [String: String] {
        var labels = [String: String](minimumCapacity: pending.count)
        for label in pending where labels.updateValue(label.value, forKey: label.name) != nil {
            throw cursor.error("label \(cursor.quoted(label.bytes)) appears twice in one sample; each label name may appear once")
        }
        return labels
    }

    /// Reads a quoted label value after its opening quote, through the closing one; says
    /// whether it is the previous sample's value at this position, reused.
    private mutating func readLabelValue(of nameRange: Range<Int>, at index: Int) throws(ExpositionParseError) -> (String, reused: Bool) {
        guard let text = cursor.scanQuotedText() else {
            throw cursor.error("unterminated value of label \(cursor.quoted(nameRange)): a label value ends with '\"' on the same line")
        }
        if index < labelValueCache.count, cursor.sameBytes(labelValueCache[index].bytes, text.range) {
            return (labelValueCache[index].string, true)
        }
        guard let value = unescaped(text, quoteEscape: true) else {
            throw cursor.error("the value of label \(cursor.quoted(nameRange)) is not valid UTF-8")
        }
        labelValueCache.store(value, from: text.range, at: index, digesting: format == .openmetrics)
        return (value, false)
    }

    /// The text with its escapes resolved, or nil when it is not UTF-8.
    ///
    /// `\\` and `\n` mean a backslash and a line feed everywhere, `\"` a quote where
    /// `quoteEscape` says so (label values, OpenMetrics help). Any other backslash is kept as
    /// written, as Prometheus and the Python client do in both formats (the OpenMetrics grammar
    /// has no other escapes, but refusing them would refuse what Prometheus scrapes).
    mutating func unescaped(_ text: ExpositionParser.Cursor.EscapedText, quoteEscape: Bool) -> String? {
        guard text.hasEscapes else {
            let bytes = cursor.slice(text.range)
            return text.isASCII ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
        }
        scratch.removeAll(keepingCapacity: true)
        var index = text.range.lowerBound
        while index < text.range.upperBound {
            let byte = cursor.bytes[index]
            index += 1
            guard byte == Byte.backslash, index < text.range.upperBound else {
                scratch.append(byte)
                continue
            }
            switch cursor.bytes[index] {
            case Byte.backslash: scratch.append(Byte.backslash)
            case UInt8(ascii: "n"): scratch.append(Byte.lineFeed)
            case Byte.quote where quoteEscape: scratch.append(Byte.quote)
            default:
                scratch.append(Byte.backslash)
                continue
            }
            index += 1
        }
        return text.isASCII ? String(decoding: scratch, as: UTF8.self) : String(validating: scratch, as: UTF8.self)
    }
}
