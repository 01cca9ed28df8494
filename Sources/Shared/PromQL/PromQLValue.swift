import TimeSeries

/// One element of an instant vector: a series' labels and its value at the evaluation time.
public struct VectorElement: Sendable, Equatable {
    public let labels: LabelSet
    public let value: Double

    public init(labels: LabelSet, value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// One series of a range vector: its labels and its samples in the range.
///
/// The samples are a slice: a range selector hands out the part of the store's own buffer that
/// falls in the range, so selecting every series over an hour copies no samples (only a series
/// with staleness markers in the range gets a filtered copy of its own).
public struct RangeSeries: Sendable, Equatable {
    public let labels: LabelSet
    public let samples: ArraySlice<StoredSample>

    public init(labels: LabelSet, samples: ArraySlice<StoredSample>) {
        self.labels = labels
        self.samples = samples
    }

    public init(labels: LabelSet, samples: [StoredSample]) {
        self.init(labels: labels, samples: samples[...])
    }
}

/// What a PromQL expression evaluates to.
public enum PromQLValue: Sendable, Equatable {
    /// A single number, such as `2` or `time()`.
    case scalar(Double)
    /// One value per series at the evaluation time, sorted by labels.
    case vector([VectorElement])
    /// Samples per series over a range: a range selector or a subquery, or a range query's answer.
    case matrix([RangeSeries])
    /// A string literal.
    case string(String)

    /// The JSON Prometheus's `/api/v1/query` returns in its `data` field for this value at `time` (milliseconds).
    public func prometheusJSON(at time: Int64) -> String {
        switch self {
        case .scalar(let value):
            return #"{"resultType":"scalar","result":[\#(jsonTime(time)),"\#(jsonValue(value))"]}"#
        case .vector(let elements):
            let items = elements.map { #"{"metric":\#(jsonLabels($0.labels)),"value":[\#(jsonTime(time)),"\#(jsonValue($0.value))"]}"# }
            return #"{"resultType":"vector","result":[\#(items.joined(separator: ","))]}"#
        case .string(let text):
            return #"{"resultType":"string","result":[\#(jsonTime(time)),\#(jsonString(text))]}"#
        case .matrix(let series):
            let items = series.map { entry in
                let values = entry.samples.map { #"[\#(jsonTime($0.timestamp)),"\#(jsonValue($0.value))"]"# }
                return #"{"metric":\#(jsonLabels(entry.labels)),"values":[\#(values.joined(separator: ","))]}"#
            }
            return #"{"resultType":"matrix","result":[\#(items.joined(separator: ","))]}"#
        }
    }
}

/// Seconds with the milliseconds as a fraction, as Prometheus writes them: `1700000000.5`.
package func jsonTime(_ milliseconds: Int64) -> String {
    let seconds = milliseconds / 1000, fraction = milliseconds % 1000
    guard fraction != 0 else { return "\(seconds)" }
    var digits = String(abs(fraction))
    while digits.count < 3 { digits = "0" + digits }
    while digits.hasSuffix("0") { digits.removeLast() }
    return (milliseconds < 0 && seconds == 0 ? "-" : "") + "\(seconds).\(digits)"
}

/// A value as Prometheus's API writes it: plain decimal digits, shortest round-trip, `+Inf`, `-Inf`, `NaN`.
package func jsonValue(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
    let text = value.description
    guard let exponentIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
    // Expand "1.5e-07" into "0.00000015" and "1e+21" into "1000000000000000000000".
    let negative = text.hasPrefix("-")
    let mantissa = text[text.index(text.startIndex, offsetBy: negative ? 1 : 0)..<exponentIndex]
    let exponent = Int(text[text.index(after: exponentIndex)...]) ?? 0
    let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
    let integerPart = String(parts[0]), fractionPart = parts.count > 1 ? String(parts[1]) : ""
    var digits = integerPart + fractionPart
    var point = integerPart.count + exponent
    if point <= 0 {
        digits = String(repeating: "0", count: 1 - point) + digits
        point = 1
    } else if point > digits.count {
        digits += String(repeating: "0", count: point - digits.count)
    }
    var result = String(digits.prefix(point))
    var rest = String(digits.dropFirst(point))
    while rest.hasSuffix("0") { rest.removeLast() }
    if !rest.isEmpty { result += "." + rest }
    return (negative ? "-" : "") + result
}

/// A label set as a JSON object, in the set's order: `{"__name__":"up","job":"api"}`.
package func jsonLabels(_ labels: LabelSet) -> String {
    let pairs = labels.labels.map { "\(jsonString($0.name)):\(jsonString($0.value))" }
    return "{" + pairs.joined(separator: ",") + "}"
}

/// `text` as a JSON string literal, quotes included, with the escapes JSON requires.
package func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}
