extension LessonInfo {
    /// Lesson 4: Every label set is a series: the cost of unbounded labels, and aggregating with sum by.
    public static let labelsAndCardinality = LessonInfo(
        number: 4, slug: "labels-and-cardinality", title: "Labels and cardinality",
        concept: "Every label set is a series: the cost of unbounded labels, and aggregating with sum by",
        hint: "Cut the path at the first `?`, split the rest on `/` (split drops empty pieces for you), and turn each piece that is "
            + "all ASCII digits or a UUID (hex groups of 8, 4, 4, 4 and 12 characters joined by `-`) into `:id`. "
            + "Join the pieces with `/` behind a leading `/`; with no pieces left the answer is `/`.",
        dashboard: "Requests")
}
