/// The lessons of the workbook, in order.
public enum Workbook {
    public static let lessons: [LessonInfo] = [
        LessonInfo(
            number: 1, slug: "exposition", title: "Exposition: what a scrape returns",
            concept: "The text a /metrics endpoint serves: HELP and TYPE, series identified by labels, 0.0.4 vs OpenMetrics",
            hint: "Start from the name; add `{`, then `label=\"value\"` pairs joined by `,`, then `}` only when there are labels. "
                + "Escape each value: backslash first (\\ becomes \\\\), then the double quote (\" becomes \\\") and the line feed (a newline becomes \\n). "
                + "Finish with a space and formatSampleValue(value, for: .prometheus).",
            dashboard: "Scraping"),
    ]

    /// The lesson with this number (`1`), folder name (`01-exposition`) or slug (`exposition`).
    public static func lesson(named name: String) -> LessonInfo? {
        if let number = Int(name) { return lessons.first { $0.number == number } }
        return lessons.first { $0.slug == name || $0.folder == name }
    }
}
