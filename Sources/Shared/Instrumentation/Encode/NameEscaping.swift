/// How an exposition writes metric and label names outside the legacy character set, as a
/// scraper negotiates it with `escaping=` in its `Accept` header (Prometheus 3).
///
/// Legacy names, `[a-zA-Z_:][a-zA-Z0-9_:]*` for metrics and `[a-zA-Z_][a-zA-Z0-9_]*` for
/// labels, are written unchanged under every scheme. Any other name, `http.server.duration`,
/// is either written as it is, in quotes (`allow-utf-8`, for a scraper that reads quoted
/// names), or replaced by a legacy name: `underscores` is the default. Escaping can make two
/// names one (`a.b` and `a_b` both become `a_b`); only `allow-utf-8` keeps them apart.
/// See https://prometheus.io/docs/instrumenting/escaping_schemes/
public enum NameEscaping: String, Sendable, CaseIterable {
    /// No escaping: names are UTF-8, quoted where they are not legacy names.
    case allowUTF8 = "allow-utf-8"
    /// Every character a legacy name cannot hold becomes `_`: `a.b/c` → `a_b_c`.
    case underscores
    /// `.` becomes `_dot_`, `_` becomes `__`, any other character a legacy name cannot hold
    /// `__`: `a.b_c` → `a_dot_b__c`. (prometheus/common writes `__` for those others; its
    /// escaping document says `_`.)
    case dots
    /// `U__` first, `_` doubled, every character a legacy name cannot hold as its code point
    /// in lower-case hex between underscores: `a.b` → `U__a_2e_b`. The only scheme that can be undone.
    case values

    /// The scheme Prometheus 3 uses when the scraper names none.
    public static let `default` = NameEscaping.underscores

    /// The metric name as this scheme writes it.
    public func escapedMetricName(_ name: String) -> String {
        escaped(name, allowingColon: true)
    }

    /// The label name as this scheme writes it. A label name may not hold `:`, so a `:` in
    /// one is escaped like any other character (prometheus/common checks label names against
    /// the metric name rules and would leave it, which no text parser reads).
    public func escapedLabelName(_ name: String) -> String {
        escaped(name, allowingColon: false)
    }

    /// Whether `name` is a legacy metric name, written without quotes under every scheme.
    public static func isLegacyMetricName(_ name: String) -> Bool {
        MetricName.isValidMetricName(name)
    }

    /// Whether `name` is a legacy label name, written without quotes under every scheme.
    public static func isLegacyLabelName(_ name: String) -> Bool {
        MetricName.isValidLabelName(name)
    }

    private func escaped(_ name: String, allowingColon: Bool) -> String {
        let legacyName = allowingColon ? MetricName.isValidMetricName(name) : MetricName.isValidLabelName(name)
        if self == .allowUTF8 || name.isEmpty || legacyName { return name }
        var result = self == .values ? "U__" : ""
        for (offset, scalar) in name.unicodeScalars.enumerated() {
            let legacy = Self.isLegacy(scalar, first: offset == 0, allowingColon: allowingColon)
            switch self {
            case .underscores:
                result.unicodeScalars.append(legacy ? scalar : "_")
            case .dots:
                if scalar == "_" {
                    result += "__"
                } else if scalar == "." {
                    result += "_dot_"
                } else {
                    result += legacy ? String(scalar) : "__"
                }
            case .values:
                if scalar == "_" {
                    result += "__"
                } else if legacy {
                    result.unicodeScalars.append(scalar)
                } else {
                    result += "_" + String(scalar.value, radix: 16) + "_"
                }
            case .allowUTF8:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether a legacy name may hold `scalar` where it stands: letters and `_` (and `:` in
    /// metric names) anywhere, digits after the first character.
    private static func isLegacy(_ scalar: Unicode.Scalar, first: Bool, allowingColon: Bool) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "_": true
        case ":": allowingColon
        case "0"..."9": !first
        default: false
        }
    }
}
