// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// The workbook: a metrics engine in several modules, each lesson's code, and the `lesson`
/// command. No package dependencies: toolchain modules only.
///
/// The learner's exercises are not here. Each lesson's `main.swift` and `Exercise.swift`
/// build in the package at `Sources/Lessons` (its own Package.swift), one executable per
/// lesson, so a half-written exercise breaks only its own lesson: `swift test` and every
/// other lesson keep building. `swift run lesson N` builds lesson N there on demand.

/// The lesson folders, `01-exposition` …, read from `Sources/Lessons`.
let lessonFolders = ((try? FileManager.default.contentsOfDirectory(atPath: Context.packageDirectory + "/Sources/Lessons")) ?? [])
    .filter { $0.count > 3 && $0.prefix(2).allSatisfy(\.isNumber) && $0.dropFirst(2).first == "-" }
    .sorted()

/// `01-exposition` → `Lesson01Exposition`: the lesson's library (its demo, checks and solution).
func lessonLibrary(_ folder: String) -> String {
    "Lesson" + folder.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
}

/// The engine's modules, in the order data flows through them.
let engineModules = ["Platform", "Instrumentation", "HTTP", "TimeSeries", "Scraping", "PromQL"]
let engine: [Target.Dependency] = engineModules.map { .target(name: $0) }

let package = Package(
    name: "ObservabilityWorkbook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lesson", targets: ["LessonRunner"]),
        // What a service links to be scraped, and the pieces the benchmark package times.
        .library(name: "Instrumentation", targets: ["Instrumentation"]),
        .library(name: "HTTP", targets: ["HTTP"]),
        .library(name: "Scraping", targets: ["Scraping"]),
        .library(name: "PromQL", targets: ["PromQL"]),
        .library(name: "PrometheusAPI", targets: ["PrometheusAPI"]),
        .library(name: "WebConsole", targets: ["WebConsole"]),
        // What the lesson programs in Sources/Lessons link: the kit, with the engine, and one
        // library per lesson, so building lesson N compiles no other lesson.
        .library(name: "WorkbookKit", targets: engineModules + ["WorkbookKit"]),
    ] + lessonFolders.map { .library(name: lessonLibrary($0), targets: [lessonLibrary($0)]) },
    targets: [
        // Every difference between operating systems: the C library, socket flags, threads,
        // clocks, signals, the executable's path, the terminal's size.
        .target(name: "Platform", path: "Sources/Shared/Platform"),
        // Instrument, collect, encode: what a service links to be scraped.
        .target(name: "Instrumentation", dependencies: ["Platform"], path: "Sources/Shared/Instrumentation"),
        // Serve: a small HTTP/1.1 server for /metrics and a client.
        .target(name: "HTTP", dependencies: ["Platform", "Instrumentation"], path: "Sources/Shared/HTTP"),
        // Store: series identified by label sets, and the samples they hold.
        .target(name: "TimeSeries", dependencies: ["Platform", "Instrumentation"], path: "Sources/Shared/TimeSeries"),
        // Scrape: the exposition parser and the scraper, the pull model.
        .target(name: "Scraping", dependencies: ["Platform", "Instrumentation", "HTTP", "TimeSeries"], path: "Sources/Shared/Scraping"),
        // Query: PromQL over the store.
        .target(name: "PromQL", dependencies: ["Platform", "TimeSeries"], path: "Sources/Shared/PromQL"),
        // Query over HTTP: the read side of Prometheus's /api/v1, over the store and PromQL.
        .target(
            name: "PrometheusAPI", dependencies: ["Instrumentation", "HTTP", "TimeSeries", "PromQL"],
            path: "Sources/Shared/PrometheusAPI"
        ),
        // Show in the browser: the dashboards drawn from their Grafana JSON, over the API.
        .target(name: "WebConsole", dependencies: ["HTTP"], path: "Sources/Shared/WebConsole"),
        // Show, and the workbook itself: the manifest of lessons, checks, charts, the lesson program.
        .target(name: "WorkbookKit", dependencies: engine, path: "Sources/Shared/WorkbookKit"),

        // The `lesson` command. It links no lesson: it builds the one it needs in
        // Sources/Lessons and starts it as a child process.
        // The runner; it links lesson 11's rules, which `serve all` records as the stack does.
        .executableTarget(
            name: "LessonRunner", dependencies: engine + ["WorkbookKit", "PrometheusAPI", "WebConsole", "Lesson11AlertsAndSlos"],
            path: "Sources/LessonRunner"
        ),

        // What the tests share: running processes and finding the real tools (promtool, python3).
        .target(name: "TestSupport", dependencies: engine + ["WorkbookKit"], path: "Tests/TestSupport"),
        .testTarget(
            name: "SharedTests", dependencies: engine + ["WorkbookKit", "TestSupport", "PrometheusAPI", "WebConsole"],
            path: "Tests/SharedTests", exclude: ["Browser"]
        ),
        .testTarget(
            name: "LessonTests",
            dependencies: engine + ["WorkbookKit", "TestSupport"] + lessonFolders.map { .target(name: lessonLibrary($0)) },
            path: "Tests/LessonTests"
        ),
    ] + lessonFolders.map { folder in
        // Each lesson's demo, checks and reference solution, at Sources/Lessons/NN-slug; its
        // program (main.swift) and the learner's Exercise.swift build in Sources/Lessons/Package.swift.
        // (Sources/Lessons/Blanks holds the exercises as they came, and Sources/Lessons/Kept the
        // learner's versions `lesson reset` kept: neither is any target's.)
        .target(
            name: lessonLibrary(folder), dependencies: engine + ["WorkbookKit"],
            path: "Sources/Lessons/\(folder)", exclude: ["main.swift", "Exercise.swift"]
        )
    },
    swiftLanguageModes: [.v6]
)
