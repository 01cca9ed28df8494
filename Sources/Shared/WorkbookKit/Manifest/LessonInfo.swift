/// One lesson's entry in the workbook's manifest.
///
/// The manifest (`Workbook.lessons`) is the single source of truth: the `lesson`
/// command, the README's lesson table and the tests all read it.
public struct LessonInfo: Sendable, Equatable {
    /// 1, 2, 3 …: the order to take the lessons in.
    public let number: Int
    /// The lesson's short name, as in its folder (`exposition`).
    public let slug: String
    public let title: String
    /// The idea in one line, for `lesson list` and the README table.
    public let concept: String
    /// What to try when the exercise does not pass yet.
    public let hint: String
    /// The Grafana dashboard with this lesson's visual step, if it has one.
    public let dashboard: String?

    public init(number: Int, slug: String, title: String, concept: String, hint: String, dashboard: String?) {
        self.number = number
        self.slug = slug
        self.title = title
        self.concept = concept
        self.hint = hint
        self.dashboard = dashboard
    }

    /// `01-exposition`: the name of the lesson's folder and notes.
    public var folder: String {
        (number < 10 ? "0" : "") + "\(number)-\(slug)"
    }

    /// The lesson's program: the product `Sources/Lessons/Package.swift` builds from the
    /// lesson's `main.swift` and the learner's `Exercise.swift` (`lesson-01-exposition`).
    public var executableName: String { "lesson-\(folder)" }

    /// The module holding the lesson's demo, checks and solution, in the workbook package
    /// (`Lesson01Exposition`).
    public var libraryName: String {
        "Lesson" + folder.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The notes, relative to the package root.
    public var notesPath: String { "lessons/\(folder).org" }

    /// The learner's file, relative to the package root.
    public var exercisePath: String { "Sources/Lessons/\(folder)/Exercise.swift" }

    /// The exercise as it came, which `lesson reset` restores, relative to the package root.
    public var blankPath: String { "Sources/Lessons/Blanks/\(folder).swift" }
}
