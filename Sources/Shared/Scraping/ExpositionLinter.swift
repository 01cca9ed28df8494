/// The naming and type rules an exposition should follow, beyond what makes it valid: the
/// checks `promtool check metrics` makes (its lint, from client_golang's promlint), in its
/// words, plus the workbook's own warning about a family's cardinality.
///
/// Each finding names a metric family and the rule, as promtool prints them:
/// `http_requests counter metrics should have "_total" suffix`.
public enum ExpositionLinter {
    /// One finding: the family's name and what is wrong with it.
    public struct Finding: Sendable, Equatable, Comparable, CustomStringConvertible {
        public let metric: String
        public let message: String
        /// Whether promtool makes the same finding (false for the workbook's own warnings).
        public let isPromtoolRule: Bool

        public var description: String { "\(metric) \(message)" }

        public static func < (lhs: Finding, rhs: Finding) -> Bool {
            (lhs.metric, lhs.message) < (rhs.metric, rhs.message)
        }
    }

    /// A family with more series than this gets a cardinality warning.
    public static let seriesWarningThreshold = 1_000

    /// Base units, and the prefixes that make a derived unit of them (`milliseconds`, `kilobytes`).
    static let baseUnits: Set<String> = ["amperes", "bytes", "celsius", "grams", "joules", "kelvin", "meters", "metres", "seconds", "volts"]
    static let unitPrefixes = ["pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi", "mega", "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi"]
    static let abbreviatedUnits: Set<String> = ["s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d"]

    /// Every finding for `families`, sorted by metric and message as promtool sorts them.
    public static func lint(_ families: [ScrapedFamily]) -> [Finding] {
        var findings: [Finding] = []
        // A family with metadata and no sample says nothing to lint (promtool skips it too).
        for family in families where !family.samples.isEmpty {
            let name = family.name
            func add(_ message: String, promtool: Bool = true) {
                findings.append(Finding(metric: name, message: message, isPromtoolRule: promtool))
            }
            if (family.help ?? "").isEmpty { add("no help text") }
            if let (unit, base) = derivedUnit(in: name) { add("use base unit \"\(base)\" instead of \"\(unit)\"") }
            switch family.type {
            case .counter:
                // OpenMetrics names a counter's family without the suffix its samples carry.
                if !name.hasSuffix("_total"), !family.samples.allSatisfy({ $0.name.hasSuffix("_total") || $0.name.hasSuffix("_created") }) {
                    add("counter metrics should have \"_total\" suffix")
                }
            default:
                if name.hasSuffix("_total") { add("non-counter metrics should not have \"_total\" suffix") }
            }
            if family.type != .unknown {
                for sample in family.samples {
                    if sample.labels["le"] != nil, family.type != .histogram, family.type != .gaugeHistogram {
                        add("non-histogram metrics should not have \"le\" label")
                    }
                    if sample.labels["quantile"] != nil, family.type != .summary {
                        add("non-summary metrics should not have \"quantile\" label")
                    }
                }
                if family.type != .histogram, family.type != .summary, family.type != .gaugeHistogram {
                    if name.hasSuffix("_count") { add("non-histogram and non-summary metrics should not have \"_count\" suffix") }
                    if name.hasSuffix("_sum") { add("non-histogram and non-summary metrics should not have \"_sum\" suffix") }
                }
                if family.type != .histogram, family.type != .gaugeHistogram, name.hasSuffix("_bucket") {
                    add("non-histogram metrics should not have \"_bucket\" suffix")
                }
            }
            // Any type's name, not only the family's own: a gauge called x_counter misleads too.
            for typeName in ["counter", "gauge", "summary", "histogram", "gauge_histogram"] where spells(name, "_" + typeName) {
                add("metric name should not include type '\(typeName)'")
            }
            if name.contains(":") { add("metric names should not contain ':'") }
            if isCamelCase(name) { add("metric names should be written in 'snake_case' not 'camelCase'") }
            for sample in family.samples {
                for label in sample.labels.keys.sorted() where isCamelCase(label) {
                    add("label names should be written in 'snake_case' not 'camelCase'")
                }
            }
            if abbreviatedUnits.contains(where: { spells(name, "_" + $0) }) {
                add("metric names should not contain abbreviated units")
            }
            let series = Set(family.samples.map { $0.labels.filter { $0.key != "le" && $0.key != "quantile" } }).count
            if series > seriesWarningThreshold {
                add("has \(series) series: every label value is a series of its own; is a label unbounded (an id, a path, a user)?", promtool: false)
            }
        }
        return findings.sorted()
    }

    /// Whether `name` holds `piece` as a whole part: followed by `_`, or at its end.
    static func spells(_ name: String, _ piece: String) -> Bool {
        let lowered = name.lowercased()
        return lowered.contains(piece + "_") || lowered.hasSuffix(piece)
    }

    /// The unit a name spells with a prefix, and its base unit: (`milliseconds`, `seconds`).
    static func derivedUnit(in name: String) -> (unit: String, base: String)? {
        for token in name.split(separator: "_").map(String.init) {
            if baseUnits.contains(token) { return nil }
            for prefix in unitPrefixes where token.hasPrefix(prefix) {
                let rest = String(token.dropFirst(prefix.count))
                if baseUnits.contains(rest) { return (token, rest) }
            }
        }
        return nil
    }

    /// A lowercase letter followed by an uppercase one, as promlint detects camelCase.
    static func isCamelCase(_ text: String) -> Bool {
        var previousLower = false
        for scalar in text.unicodeScalars {
            let isUpper = scalar.value >= 65 && scalar.value <= 90
            if previousLower, isUpper { return true }
            previousLower = scalar.value >= 97 && scalar.value <= 122
        }
        return false
    }
}
