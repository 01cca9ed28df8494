// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// The lessons' programs: one executable per lesson, holding the lesson's `main.swift` and
/// the learner's `Exercise.swift`, linked with the lesson's library from the workbook
/// package two folders up (its demo, checks and solution).
///
/// The exercises live in a package of their own so that one that does not compile stops
/// only its own lesson: `swift run lesson check N` builds just lesson N's product here, and
/// the workbook's `swift test` never compiles an exercise unless a test asks for it.
/// To edit the exercises with code completion, open this folder's Package.swift.

/// The lesson folders beside this file: `01-exposition` ….
let lessonFolders = ((try? FileManager.default.contentsOfDirectory(atPath: Context.packageDirectory)) ?? [])
    .filter { $0.count > 3 && $0.prefix(2).allSatisfy(\.isNumber) && $0.dropFirst(2).first == "-" }
    .sorted()

/// `01-exposition` → `Lesson01Exposition`: the lesson's library in the workbook package.
func lessonLibrary(_ folder: String) -> String {
    "Lesson" + folder.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
}

/// The files of `folder` that belong to the lesson's library rather than to its program.
func lessonLibraryFiles(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: Context.packageDirectory + "/" + folder)) ?? [])
        .filter { $0 != "main.swift" && $0 != "Exercise.swift" }
}

/// The workbook package's identity, which SwiftPM takes from its folder's name.
let workbook = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "WorkbookLessons",
    platforms: [.macOS(.v15)],
    products: lessonFolders.map { .executable(name: "lesson-\($0)", targets: [lessonLibrary($0) + "Program"]) },
    dependencies: [.package(path: "../..")],
    targets: lessonFolders.map { folder in
        .executableTarget(
            name: lessonLibrary(folder) + "Program",
            dependencies: [
                .product(name: lessonLibrary(folder), package: workbook.lastPathComponent),
                .product(name: "WorkbookKit", package: workbook.lastPathComponent),
            ],
            path: folder,
            // Everything else in the folder is the lesson's library, built in the workbook package.
            exclude: lessonLibraryFiles(folder),
            sources: ["main.swift", "Exercise.swift"]
        )
    },
    swiftLanguageModes: [.v6]
)
