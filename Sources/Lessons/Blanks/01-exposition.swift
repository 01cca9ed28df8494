import WorkbookKit

/// Renders one sample line of the Prometheus text format 0.0.4, without a trailing newline.
///
/// The line is the metric name; then, only if there are labels, `{`, the pairs
/// `name="value"` joined by `,` in the order given, and `}`; then a space and the value.
///
///     renderSampleLine(name: "up", labels: [], value: 1)
///         == #"up 1"#
///     renderSampleLine(name: "http_requests_total", labels: [("method", "GET"), ("code", "200")], value: 3)
///         == #"http_requests_total{method="GET",code="200"} 3"#
///
/// Label values are quoted, so three characters must be escaped inside them: a
/// backslash becomes `\\`, a double quote `\"`, and a line feed `\n`.
/// Format the value with `formatSampleValue(value, for: .prometheus)`.
///
/// Check your work with `swift run lesson check 1`.
func renderSampleLine(name: String, labels: [(name: String, value: String)], value: Double) throws -> String {
    // TODO: build the line as described above, then delete the next line.
    throw NotAttemptedYet()
}
