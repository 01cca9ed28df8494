/// The lessons of the workbook, in order.
///
/// Each lesson's entry lives in `Kit/Manifest/NN-slug.swift`, next to nothing else, so the
/// title, concept and hint of a lesson are written once and read by the `lesson` command,
/// the README's table and the tests.
public enum Workbook {
    public static let lessons: [LessonInfo] = [
        .exposition, .countersVsGauges, .rateAndResets, .labelsAndCardinality, .histogramBuckets, .histogramQuantiles, .summariesSlidingWindows, .apdex, .pullBasedScraping, .instrumentAService, .alertsAndSlos,
    ]

    /// The lesson with this number (`1`), folder name (`01-exposition`) or slug (`exposition`).
    public static func lesson(named name: String) -> LessonInfo? {
        if let number = Int(name) { return lessons.first { $0.number == number } }
        return lessons.first { $0.slug == name || $0.folder == name }
    }
}
