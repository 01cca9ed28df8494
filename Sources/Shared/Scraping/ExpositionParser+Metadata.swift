import Instrumentation

extension ExpositionParser.Reader {
    /// Whether reading goes on after a line.
    enum LineOutcome {
        /// More lines may follow.
        case more
        /// The OpenMetrics `# EOF` line: the exposition is complete.
        case endOfExposition
    }

    /// The metadata keywords, as they follow `# `.
    private enum Keyword: String {
        /// `# HELP name text`.
        case help = "HELP"
        /// `# TYPE name type`.
        case type = "TYPE"
        /// `# UNIT name unit` (OpenMetrics).
        case unit = "UNIT"
    }

    /// Reads a line starting with `#`: metadata, a comment (0.0.4) or `# EOF` (OpenMetrics).
    mutating func readCommentLine() throws(ExpositionParseError) -> LineOutcome {
        _ = cursor.consume(Byte.hash)
        switch format {
        case .prometheus:
            try readPrometheusComment()
            return .more
        case .openmetrics:
            return try readOpenMetricsComment()
        }
    }

    /// 0.0.4: `# HELP name text` and `# TYPE name type` are metadata, with spaces or tabs
    /// between the words; any other line starting with `#` is a comment.
    private mutating func readPrometheusComment() throws(ExpositionParseError) {
        // `#HELP …`, `# HELPER …` and a bare `# HELP` are comments, as in Prometheus.
        var keyword: Keyword?
        if cursor.skipBlanks() {
            if cursor.consume("HELP") {
                keyword = .help
            } else if cursor.consume("TYPE") {
                keyword = .type
            }
        }
        guard let keyword, cursor.skipBlanks() else {
            cursor.skipRestOfLine()
            cursor.finishLine()
            return
        }
        let name = try readFamilyName(after: keyword)
        let blankAfterName = cursor.current == Byte.space || cursor.current == Byte.tab
        guard blankAfterName || cursor.isAtLineEnd else {
            throw cursor.error("expected a space after the metric name \(cursor.text(name.range)) in # \(keyword.rawValue), found \(cursor.found)")
        }
        if keyword == .help {
            // The text starts after one blank: further leading blanks belong to it, as in Prometheus.
            if blankAfterName { cursor.advance() }
            try declare(.help(readHelpText()), family: name)
        } else {
            cursor.skipBlanks()
            let word = try readTypeWord(of: name)
            cursor.skipBlanks()
            guard cursor.isAtLineEnd else { throw cursor.error("unexpected \(cursor.found) after the type in # TYPE \(cursor.text(name.range))") }
            try declareType(word, of: name, expected: "counter, gauge, histogram, summary or untyped")
        }
        cursor.finishLine()
    }

    /// OpenMetrics: `# HELP name text`, `# TYPE name type`, `# UNIT name unit` and `# EOF`,
    /// single spaces between the words, the one after the name there even when the text or
    /// unit is empty; no other line may start with `#`.
    private mutating func readOpenMetricsComment() throws(ExpositionParseError) -> LineOutcome {
        guard cursor.consume(Byte.space) else {
            throw cursor.error(
                "expected a space after '#', found \(cursor.found); OpenMetrics has no comments, only # HELP, # TYPE, # UNIT and # EOF")
        }
        if cursor.consume("EOF"), cursor.isAtLineEnd {
            cursor.finishLine()
            guard cursor.isAtEnd else { throw cursor.error("nothing may follow the # EOF line, found \(cursor.found)") }
            return .endOfExposition
        }
        let keyword: Keyword
        if cursor.consume("HELP") {
            keyword = .help
        } else if cursor.consume("TYPE") {
            keyword = .type
        } else if cursor.consume("UNIT") {
            keyword = .unit
        } else {
            throw cursor.error("unknown line starting with '#'; OpenMetrics has no comments, only # HELP, # TYPE, # UNIT and # EOF")
        }
        guard cursor.consume(Byte.space) else {
            throw cursor.error("expected a space and a metric name after # \(keyword.rawValue), found \(cursor.found)")
        }
        let name = try readFamilyName(after: keyword)
        // The space after the name is there even before empty text: `# HELP name `.
        guard cursor.consume(Byte.space) else {
            let expected = keyword == .type ? "a space and a metric type" : "a space (then the text, which may be empty)"
            throw cursor.error("expected \(expected) after the metric name \(cursor.text(name.range)) in # \(keyword.rawValue), found \(cursor.found)")
        }
        switch keyword {
        case .help:
            try declare(.help(readHelpText()), family: name)
        case .type:
            let word = try readTypeWord(of: name)
            guard cursor.isAtLineEnd else { throw cursor.error("unexpected \(cursor.found) after the type in # TYPE \(cursor.text(name.range))") }
            try declareType(
                word, of: name, expected: "counter, gauge, histogram, gaugehistogram, stateset, info, summary or unknown")
        case .unit:
            let start = cursor.position
            cursor.skipRestOfLine()
            try declare(.unit(cursor.text(start..<cursor.position)), family: name)
        }
        cursor.finishLine()
        return .more
    }

    /// The metric name of a metadata line: where its bytes are and, when it was quoted
    /// (`# TYPE "my.metric" gauge`), the name unescaped.
    private struct FamilyName {
        let range: Range<Int>
        let quoted: String?
    }

    /// Reads the metric name a metadata line is about, bare or quoted.
    private mutating func readFamilyName(after keyword: Keyword) throws(ExpositionParseError) -> FamilyName {
        let range = cursor.scanMetricName()
        guard range.isEmpty else { return FamilyName(range: range, quoted: nil) }
        guard cursor.consume(Byte.quote) else {
            throw cursor.error("expected a metric name after # \(keyword.rawValue), found \(cursor.found)")
        }
        guard let text = cursor.scanQuotedText() else {
            throw cursor.error("unterminated quoted metric name: a quoted name ends with '\"' on the same line")
        }
        return FamilyName(range: text.range, quoted: try quotedName(text, kind: "metric name"))
    }

    /// Applies a metadata line to the family `name`.
    private mutating func declare(_ metadata: ExpositionParser.FamilyGrouper.Metadata, family name: FamilyName) throws(ExpositionParseError) {
        let line = cursor.line
        if let quoted = name.quoted {
            try Array(quoted.utf8).withUnsafeBufferPointer { bytes throws(ExpositionParseError) in
                try grouper.declare(metadata, family: bytes, line: line)
            }
        } else {
            try grouper.declare(metadata, family: cursor.slice(name.range), line: line)
        }
    }

    /// The bytes of the type word in `# TYPE name type`.
    private mutating func readTypeWord(of name: FamilyName) throws(ExpositionParseError) -> Range<Int> {
        let word = cursor.scanToken(stoppingAtTabs: format == .prometheus)
        guard !word.isEmpty else { throw cursor.error("expected a metric type after # TYPE \(cursor.text(name.range)), found \(cursor.found)") }
        return word
    }

    /// Applies `# TYPE name word`, where `word` is the bytes of the type.
    private mutating func declareType(_ word: Range<Int>, of name: FamilyName, expected: String) throws(ExpositionParseError) {
        guard let type = ExpositionParser.declaredType(cursor.slice(word), in: format) else {
            throw cursor.error("unknown metric type \(cursor.quoted(word)) in # TYPE \(cursor.text(name.range)); expected \(expected)")
        }
        try declare(.type(type), family: name)
    }

    /// Reads help text to the end of the line and resolves its escapes: `\\` and `\n`, and in
    /// OpenMetrics `\"`.
    private mutating func readHelpText() throws(ExpositionParseError) -> String {
        let text = cursor.scanLineText()
        guard let help = unescaped(text, quoteEscape: format == .openmetrics) else {
            throw cursor.error("help text is not valid UTF-8")
        }
        return help
    }
}
