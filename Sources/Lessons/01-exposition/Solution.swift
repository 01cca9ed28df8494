import Instrumentation

/// The reference answer to `renderSampleLine` in Exercise.swift. Try the exercise first.
func solutionRenderSampleLine(name: String, labels: [(name: String, value: String)], value: Double) throws -> String {
    var line = name
    if !labels.isEmpty {
        let pairs = labels.map { label in "\(label.name)=\"\(escapeLabelValue(label.value))\"" }
        line += "{" + pairs.joined(separator: ",") + "}"
    }
    return line + " " + formatSampleValue(value, for: .prometheus)
}

/// Escapes a label value, one Unicode scalar at a time.
///
/// Not one `Character` at a time: a Swift `Character` is what a reader sees as one
/// character, and `"\r\n"` is one, as is a quote followed by a combining accent. Neither
/// equals `"\n"` or `"\""`, so a loop over characters would leave the line feed or the
/// quote inside them unescaped. In a single pass the order of the three rules does not
/// matter: each scalar is looked at once.
private func escapeLabelValue(_ value: String) -> String {
    var escaped = String.UnicodeScalarView()
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\\": escaped.append(contentsOf: #"\\"#.unicodeScalars)
        case "\"": escaped.append(contentsOf: #"\""#.unicodeScalars)
        case "\n": escaped.append(contentsOf: #"\n"#.unicodeScalars)
        default: escaped.append(scalar)
        }
    }
    return String(escaped)
}
