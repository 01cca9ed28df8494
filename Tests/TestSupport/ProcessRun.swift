import Foundation
import Platform

/// What a finished child process left behind.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    /// Whether it ended by a signal (a crash, a trap) rather than by exiting.
    public let crashed: Bool
    /// Whether it was killed for running past its time limit.
    public let timedOut: Bool
}

/// Runs `executable` with `arguments`, feeding `input` to its standard input, and waits for it.
///
/// Output is collected on background threads so a chatty child cannot fill a pipe and stall.
/// A child still running after `timeout` seconds is killed, so a hung tool fails one test
/// instead of hanging the run.
public func runProcess(
    _ executable: String, _ arguments: [String], input: String? = nil,
    environment: [String: String]? = nil, directory: String? = nil, timeout: Double = 300
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = stdin
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    try process.run()
    let collected = OutputCollector()
    let group = DispatchGroup()
    for (index, pipe) in [stdout, stderr].enumerated() {
        DispatchQueue.global().async(group: group) {
            collected.store(pipe.fileHandleForReading.readDataToEndOfFile(), at: index)
        }
    }
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    var timedOut = false
    if exited.wait(timeout: .now() + timeout) == .timedOut {
        timedOut = true
        kill(process.processIdentifier, SIGKILL)
    }
    process.waitUntilExit()
    group.wait()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: String(decoding: collected.data(at: 0), as: UTF8.self),
        stderr: String(decoding: collected.data(at: 1), as: UTF8.self),
        crashed: process.terminationReason == .uncaughtSignal && !timedOut,
        timedOut: timedOut)
}

private final class OutputCollector: @unchecked Sendable {
    // Two slots written once each from separate threads, read after `group.wait()`.
    private let lock = NSLock()
    private var outputs = [Data(), Data()]

    func store(_ data: Data, at index: Int) {
        lock.lock()
        outputs[index] = data
        lock.unlock()
    }

    func data(at index: Int) -> Data {
        lock.lock()
        defer { lock.unlock() }
        return outputs[index]
    }
}

/// The folder holding the test bundle, which is also where the package's executables are built.
///
/// On Linux the tests run as an executable in that folder; on macOS the system's `xctest`
/// tool loads the bundle from it.
public var buildProductsFolder: String {
    if let own = executablePath() {
        let folder = URL(fileURLWithPath: own).deletingLastPathComponent()
        if FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("lesson").path) { return folder.path }
    }
    if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
        return URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent().path
    }
    return packageRoot() + "/.build/debug"
}

/// The package's root folder, found from this source file's location.
public func packageRoot(file: StaticString = #filePath) -> String {
    var url = URL(fileURLWithPath: "\(file)")
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    return FileManager.default.currentDirectoryPath
}
