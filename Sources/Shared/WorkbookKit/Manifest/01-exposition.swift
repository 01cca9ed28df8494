import Instrumentation

extension LessonInfo {
    /// Lesson 1: The text a /metrics endpoint serves: HELP and TYPE, series identified by labels, 0.0.4 vs OpenMetrics.
    public static let exposition = LessonInfo(
        number: 1, slug: "exposition", title: "Exposition: what a scrape returns",
        concept: "The text a /metrics endpoint serves: HELP and TYPE, series identified by labels, 0.0.4 vs OpenMetrics",
        hint: "Start from the name; add `{`, then `label=\"value\"` pairs joined by `,`, then `}` only when there are labels. "
            + "Escape each value one Unicode scalar at a time (for scalar in value.unicodeScalars), not by Character: "
            + "\"\\r\\n\" is a single Character in Swift, so a Character loop never sees its line feed. "
            + "A backslash becomes \\\\, a double quote \\\", a line feed \\n; every other scalar stays as it is. "
            + "Finish with a space and formatSampleValue(value, for: .prometheus).",
        dashboard: "Scraping")
}
