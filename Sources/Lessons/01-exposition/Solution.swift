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

/// Escapes a label value. The backslash goes first: escaping it after the quote
/// would turn the `\"` just written into `\\"`.
private func escapeLabelValue(_ value: String) -> String {
    var escaped = ""
    for character in value {
        switch character {
        case "\\": escaped += "\\\\"
        case "\"": escaped += "\\\""
        case "\n": escaped += "\\n"
        default: escaped.append(character)
        }
    }
    return escaped
}
