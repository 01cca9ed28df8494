extension LessonInfo {
    /// Lesson 4: Every label set is a series: the cost of unbounded labels, and aggregating with sum by.
    public static let labelsAndCardinality = LessonInfo(
        number: 4, slug: "labels-and-cardinality", title: "Labels and cardinality",
        concept: "Every label set is a series: the cost of unbounded labels, and aggregating with sum by",
        hint: "Cut the path at the first `?`, split the rest on `/` (split drops empty pieces for you), and turn each piece into `:id` "
            + "when every Unicode scalar in it is an ASCII digit 0-9 (test the scalars, do not parse: Int(\"+5\") is 5, and 30 digits overflow), "
            + "or when it is a UUID (ASCII hex groups of 8, 4, 4, 4 and 12 joined by `-`). "
            + "Join the pieces with `/` behind a leading `/`; with no pieces left the answer is `/`.",
        dashboard: "Requests")
}
