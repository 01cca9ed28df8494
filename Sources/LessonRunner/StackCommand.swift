import Foundation
import Platform
import WorkbookKit

/// `lesson stack up|down|status`: the docker compose stack in `stack/` (Prometheus, Grafana,
/// the workbook and a load generator), through `docker compose` or `docker-compose`.
struct StackCommand {
    let arguments: ArraySlice<String>

    func run() -> Int32 {
        guard arguments.count == 1, let action = arguments.first, ["up", "down", "status"].contains(action) else {
            return fail("use: swift run lesson stack up|down|status")
        }
        guard let root = PackageRoot.url else {
            return fail("run this inside the workbook's folder (where Package.swift and stack/ are)")
        }
        guard let compose = Self.composeCommand() else {
            return fail("docker is not installed: install Docker (with the compose plugin) from https://docs.docker.com/get-docker/, then run `swift run lesson stack \(action)` again", status: 1)
        }
        let composeArguments: [String] = switch action {
        case "up": ["up", "--detach", "--build"]
        case "down": ["down"]
        default: ["ps"]
        }
        fflush(nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: compose.executable)
        process.arguments = compose.prefix + composeArguments
        process.currentDirectoryURL = root.appendingPathComponent("stack")
        // Compose's own output is shown when it works; when it fails (typically a long Python
        // traceback because no Docker engine answers) one line says what is wrong instead.
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            return fail("could not start \(compose.executable): \(error.localizedDescription)", status: 1)
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return fail(Self.failureLine(text, action: composeArguments[0], status: process.terminationStatus), status: 1)
        }
        print(text, terminator: "")
        if action == "up" {
            print("""

                The stack is up:
                  Grafana     http://localhost:3000   (login admin / password)
                  Prometheus  http://localhost:9090
                  Workbook    http://localhost:3002/metrics
                """)
        }
        return 0
    }

    /// One line for a failed compose command: what the output shows is wrong, and what to do.
    static func failureLine(_ output: String, action: String, status: Int32) -> String {
        let engineDown = ["Cannot connect to the Docker daemon", "docker.sock", "Connection refused", "Is the docker daemon running",
                          "Error while fetching server API version", "FileNotFoundError"]
        if engineDown.contains(where: output.contains) {
            return "docker compose \(action) failed: no Docker engine answers; start Docker (Docker Desktop, or `sudo systemctl start docker`) and try again"
        }
        let last = output.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { String($0.trimmingCharacters(in: .whitespaces).prefix(200)) }
        return "docker compose \(action) failed (exit \(status))" + (last.map { ": \($0)" } ?? "") + "; is the Docker engine running? (`docker info` tells)"
    }

    /// `docker compose` (the plugin) when there is one, else the older `docker-compose`.
    static func composeCommand() -> (executable: String, prefix: [String])? {
        if let docker = executable(named: "docker") {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: docker)
            probe.arguments = ["compose", "version"]
            probe.standardOutput = FileHandle.nullDevice
            probe.standardError = FileHandle.nullDevice
            if (try? probe.run()) != nil {
                probe.waitUntilExit()
                if probe.terminationStatus == 0 { return (docker, ["compose"]) }
            }
        }
        return executable(named: "docker-compose").map { ($0, []) }
    }

    private static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private func fail(_ problem: String, status: Int32 = 2) -> Int32 {
        printError("lesson stack: \(problem)")
        return status
    }
}
