import Foundation
import Platform

/// Builds one lesson's program, and only that one, in the lessons package.
///
/// Each lesson's `main.swift` and the learner's `Exercise.swift` build in the package at
/// `Sources/Lessons` (its own Package.swift), so an exercise that does not compile stops only
/// its own lesson. The build goes to `.build/lessons` beside the workbook's own build, and
/// the compiler's messages for the lesson come back as they are: file, line, the message and
/// the lines around it.
public struct LessonBuild: Sendable {
    /// The workbook's folder: where Package.swift, `lessons/` and `Sources/Lessons` are.
    public let root: URL
    /// `debug` or `release`.
    public let configuration: String

    public init(root: URL, configuration: String = "debug") {
        self.root = root
        self.configuration = configuration
    }

    /// The lessons package.
    public var packagePath: URL { root.appendingPathComponent("Sources/Lessons") }
    /// Where the lessons package builds.
    public var scratchPath: URL { root.appendingPathComponent(".build/lessons") }

    /// Where `lesson`'s program is once built.
    public func executable(for lesson: LessonInfo) -> URL {
        scratchPath.appendingPathComponent(configuration).appendingPathComponent(lesson.executableName)
    }

    /// What a build came to.
    public enum Outcome: Sendable, Equatable {
        /// The program is built (or was already up to date) at this path.
        case built(URL)
        /// The lesson does not compile: the compiler's messages, progress lines left out.
        case doesNotCompile(String)
        /// `swift build` could not run, or failed for a reason other than the code.
        case failed(String)
    }

    /// Builds `lesson`'s program and says how it went. Output goes nowhere while it builds.
    public func build(_ lesson: LessonInfo) -> Outcome {
        run(["--product", lesson.executableName], executable: executable(for: lesson))
    }

    /// Builds every lesson's program in one go (faster than one by one); `.built` with the
    /// build folder when all compile.
    public func buildAll() -> Outcome {
        run([], executable: scratchPath.appendingPathComponent(configuration))
    }

    private func run(_ extraArguments: [String], executable: URL) -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "swift", "build", "--package-path", packagePath.path, "--scratch-path", scratchPath.path,
            "--configuration", configuration,
        ] + extraArguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failed("could not run swift build: \(error.localizedDescription); is the Swift toolchain on your PATH?")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        if process.terminationStatus == 0 { return .built(executable) }
        let diagnostics = Self.compilerMessages(in: text)
        if diagnostics.contains(": error:") { return .doesNotCompile(diagnostics) }
        return .failed(diagnostics.isEmpty ? "swift build exited with status \(process.terminationStatus)" : diagnostics)
    }

    /// The compiler's messages in `output`, without SwiftPM's progress lines and with each
    /// message once (the driver can report one error from two jobs).
    public static func compilerMessages(in output: String) -> String {
        var kept: [Substring] = []
        var seenHeadlines = Set<Substring>()
        var skipping = false
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("["), line.contains("] ") , line.dropFirst().first?.isNumber == true { continue }
            if line.hasPrefix("Building for ") || line.hasPrefix("Build complete") || line.hasPrefix("error: emit-module command failed")
                || line.hasPrefix("error: compile command failed") || line.hasPrefix("Fetching ") || line.hasPrefix("Computing ")
                || line.hasPrefix("Planning build") || line.hasPrefix("Compiling plugin") || line.hasPrefix("Write ") {
                continue
            }
            // A headline such as `/path/Exercise.swift:20:5: error: …` starts a message.
            if line.contains(": error: ") || line.contains(": warning: ") || line.contains(": note: ") {
                skipping = !seenHeadlines.insert(line).inserted
            }
            if !skipping { kept.append(line) }
        }
        while let last = kept.last, last.allSatisfy(\.isWhitespace) { kept.removeLast() }
        return kept.joined(separator: "\n")
    }

    /// The first `file:line:column: error: message` line of `messages`, with the file relative
    /// to `root` when it is inside it; nil when there is none.
    public func firstError(in messages: String) -> String? {
        guard let line = messages.split(separator: "\n").first(where: { $0.contains(": error: ") }) else { return nil }
        let prefix = root.standardizedFileURL.path + "/"
        return line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : String(line)
    }
}
