import Foundation
import XCTest
import HTTP

/// Starts the built `lesson` command with `arguments` (a `serve …`) from the package's folder,
/// in the background, and waits until `/metrics` answers on `port`: up to 300 s, since
/// `serve all` first builds every lesson's program. Standard output is dropped; standard error
/// goes to `errors` when given. The progress file is a temporary one, so the learner's own is
/// never touched. Fails the test and throws when the server does not come up.
public func startLessonServer(_ arguments: [String], port: Int, errors: FileHandle? = nil) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: buildProductsFolder + "/lesson")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: packageRoot())
    process.environment = ProcessInfo.processInfo.environment.merging(
        ["WORKBOOK_PROGRESS_FILE": NSTemporaryDirectory() + "/workbook-progress-\(ProcessInfo.processInfo.processIdentifier)"]) { $1 }
    process.standardOutput = FileHandle.nullDevice
    if let errors { process.standardError = errors }
    try process.run()
    let deadline = Date().addingTimeInterval(300)
    while Date() < deadline, process.isRunning {
        if let response = try? HTTPClient.get(url: "http://127.0.0.1:\(port)/metrics", timeout: 1), response.status == 200 {
            return process
        }
        Thread.sleep(forTimeInterval: 0.1)
    }
    if process.isRunning { process.terminate() }
    XCTFail("lesson \(arguments.joined(separator: " ")) did not come up on port \(port)")
    throw CocoaError(.fileReadUnknown)
}
