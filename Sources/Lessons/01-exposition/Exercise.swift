import WorkbookKit

/// Renders one sample line of the Prometheus text format 0.0.4, without a trailing newline.
///
/// The line is the metric name; then, only if there are labels, `{`, the pairs
/// `name="value"` joined by `,` (no spaces) in the order given, and `}`; then one space and
/// the value written by `formatSampleValue(value, for: .prometheus)` (`3`, `0.25`, `+Inf`,
/// `NaN`; it also writes -0 as `0`). Names are written as given.
///
///     renderSampleLine(name: "up", labels: [], value: 1)
///         == #"up 1"#
///     renderSampleLine(name: "http_requests_total", labels: [("method", "GET"), ("code", "200")], value: 3)
///         == #"http_requests_total{method="GET",code="200"} 3"#
///
/// Label values are quoted, so exactly three Unicode scalars are escaped inside them: a
/// backslash (U+005C) becomes `\\`, a double quote (U+0022) `\"`, and a line feed (U+000A)
/// `\n`. Every other scalar is written as it is: a carriage return, a tab, `ü`, `東`.
///
/// Escape scalar by scalar (`for scalar in value.unicodeScalars`), not `Character` by
/// `Character` (`for c in value`, `value.replacing(…)`): Swift joins `"\r\n"` into one
/// `Character`, and a quote followed by a combining accent too, so a loop over characters
/// never sees the line feed or the quote inside them.
///
/// Check your work with `swift run lesson check 1`.
func renderSampleLine(name: String, labels: [(name: String, value: String)], value: Double) throws -> String {
    // TODO: build the line as described above, then delete the next line.
    throw NotAttemptedYet()
}
