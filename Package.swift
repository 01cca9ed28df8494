// swift-tools-version: 6.0
import PackageDescription

/// The workbook: a metrics engine (`Shared`), one executable per lesson, and the `lesson` command.
/// No package dependencies: toolchain modules only, so a fresh clone builds offline in seconds.
let lessons: [(target: String, folder: String)] = [
    ("Lesson01Exposition", "01-exposition"),
    ("Lesson02CountersVsGauges", "02-counters-vs-gauges"),
    ("Lesson03RateAndResets", "03-rate-and-resets"),
    ("Lesson04LabelsAndCardinality", "04-labels-and-cardinality"),
    ("Lesson05HistogramBuckets", "05-histogram-buckets"),
    ("Lesson06HistogramQuantiles", "06-histogram-quantiles"),
    ("Lesson07SummariesSlidingWindows", "07-summaries-sliding-windows"),
    ("Lesson08Apdex", "08-apdex"),
    ("Lesson09PullBasedScraping", "09-pull-based-scraping"),
    ("Lesson10InstrumentAService", "10-instrument-a-service"),
    ("Lesson11AlertsAndSlos", "11-alerts-and-slos"),
]

let package = Package(
    name: "ObservabilityWorkbook",
    products: [
        .executable(name: "lesson", targets: ["LessonRunner"]),
        .library(name: "Shared", targets: ["Shared"]),
    ],
    targets: [
        // The metrics engine and the lesson kit every lesson links.
        .target(name: "Shared", path: "Sources/Shared"),

        // The `lesson` command. It depends on the lesson executables only so that
        // `swift run lesson N` builds them; it starts them as child processes.
        .executableTarget(
            name: "LessonRunner",
            dependencies: ["Shared"] + lessons.map { .target(name: $0.target) },
            path: "Sources/LessonRunner"
        ),

        // What the tests share: running processes and finding the real tools (promtool, python3).
        .target(name: "TestSupport", dependencies: ["Shared"], path: "Tests/TestSupport"),
        .testTarget(name: "SharedTests", dependencies: ["Shared", "TestSupport"], path: "Tests/SharedTests"),
        .testTarget(
            name: "LessonTests",
            dependencies: ["Shared", "TestSupport"] + lessons.map { .target(name: $0.target) },
            path: "Tests/LessonTests"
        ),
    ] + lessons.map { lesson in
        // One small executable per lesson, at Sources/Lessons/NN-slug.
        .executableTarget(name: lesson.target, dependencies: ["Shared"], path: "Sources/Lessons/\(lesson.folder)")
    },
    swiftLanguageModes: [.v6]
)
