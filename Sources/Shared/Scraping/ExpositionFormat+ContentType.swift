import Instrumentation

extension ExpositionFormat {
    /// The text format a `Content-Type` header names, or nil when it names neither.
    ///
    /// `text/plain` with no version or `version=0.0.4` is the Prometheus text format;
    /// `application/openmetrics-text` with no version, `0.0.1` or `1.0.0` is OpenMetrics.
    /// Media type and parameter names compare case-insensitively, parameter values may be
    /// quoted, and other parameters (`charset`) are ignored. Anything else (the protobuf
    /// format, an HTML error page, an empty header) gives nil: a scraper should then fail
    /// the scrape or fall back to 0.0.4 on purpose, as Prometheus's `fallback_scrape_protocol`
    /// does, rather than guess.
    public init?(contentType: String) {
        let parts = contentType.split(separator: ";", omittingEmptySubsequences: false)
        guard let mediaType = parts.first?.trimmingBlanks.lowercased() else { return nil }
        var version: Substring?
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingBlanks.lowercased() == "version" else { continue }
            var value = pair[1].trimmingBlanks
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
            version = value
        }
        switch mediaType {
        case "text/plain" where version == nil || version == "0.0.4":
            self = .prometheus
        case "application/openmetrics-text" where version == nil || version == "0.0.1" || version == "1.0.0":
            self = .openmetrics
        default:
            return nil
        }
    }
}

extension Substring {
    /// The text without the spaces and tabs HTTP allows around header parts.
    fileprivate var trimmingBlanks: Substring {
        let isText: (Character) -> Bool = { $0 != " " && $0 != "\t" }
        guard let first = firstIndex(where: isText), let last = lastIndex(where: isText) else { return "" }
        return self[first...last]
    }
}
