import Instrumentation

extension LessonInfo {
    /// Lesson 1: The text a /metrics endpoint serves: HELP and TYPE, series identified by labels, 0.0.4 vs OpenMetrics.
    public static let exposition = LessonInfo(
        number: 1, slug: "exposition", title: "Exposition: what a scrape returns",
        concept: "The text a /metrics endpoint serves: HELP and TYPE, series identified by labels, 0.0.4 vs OpenMetrics",
        hint: "Start from the name; add `{`, then `label=\"value\"` pairs joined by `,`, then `}` only when there are labels. "
            + "Escape each value: backslash first (\\ becomes \\\\), then the double quote (\" becomes \\\") and the line feed (a newline becomes \\n). "
            + "Finish with a space and formatSampleValue(value, for: .prometheus).",
        dashboard: "Scraping")
}
