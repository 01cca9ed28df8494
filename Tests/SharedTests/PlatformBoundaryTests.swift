import Foundation
import TestSupport
import XCTest

/// Every difference between operating systems lives in `Sources/Shared/Platform`: no other
/// file, source or test, names a Linux-only or macOS-only symbol, so a change that would break
/// the macOS build fails here, on Linux, before anyone has a Mac at hand.
final class PlatformBoundaryTests: XCTestCase {
    /// Symbols and spellings that exist on one system only, or that pick a system's C library.
    static let systemSpecific: [(pattern: String, why: String)] = [
        (#"canImport\((Glibc|Musl|Darwin)\)"#, "choosing a C library is Platform's job; import Platform"),
        (#"^\s*(@_exported\s+)?import\s+(Glibc|Musl|Darwin)\b"#, "import Platform, which brings the system's C library"),
        (#"\b(Glibc|Musl|Darwin)\."#, "a C library named outright exists on one system only"),
        (#"#if\s+os\("#, "an operating-system branch belongs in Platform"),
        (#"\bSOCK_(CLOEXEC|NONBLOCK)\b"#, "Linux-only socket() flags; use Sockets.makeStreamSocket"),
        (#"\bMSG_NOSIGNAL\b"#, "Linux-only; use Sockets.send"),
        (#"\bSO_NOSIGPIPE\b"#, "macOS-only; use Sockets"),
        (#"\bSOCK_(STREAM|DGRAM)\.rawValue"#, "SOCK_STREAM is an enum on Linux and an Int32 on macOS; use Sockets.streamType"),
        (#"/proc/"#, "Linux-only; use executablePath() or another Platform call"),
        (#"\b_NSGetExecutablePath\b"#, "macOS-only; use executablePath()"),
        (#"\bpthread_(t|create|join|self|attr_\w+)\b"#, "thread types differ between systems; use JoinableThread"),
        (#"\b(epoll_\w+|kqueue|kevent|accept4|inotify_\w+|eventfd|signalfd|prctl|PR_SET_PDEATHSIG)\b"#, "one system's call; put it behind Platform"),
        (#"\bTIOCGWINSZ\b"#, "the ioctl's type differs between systems; use terminalColumns()"),
        (#"\bst_mtim(espec)?\b"#, "stat's time fields are spelled differently on each system"),
        (#"__sigaction_(handler|u)\b|\bsa_handler\b"#, "sigaction's handler field is spelled differently on each system; use signalHasHandler"),
    ]

    /// The folder that is allowed to name them.
    static let platformFolder = "Sources/Shared/Platform/"

    func testNoSystemSpecificSymbolOutsideThePlatformLayer() throws {
        let root = LearnersExercise.root
        var findings: [String] = []
        var scanned = 0
        // Benchmarks/ is left out: its report reads Linux's /proc for memory and the machine, and says so.
        for folder in ["Sources", "Tests"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in walker where file.pathExtension == "swift" {
                let relative = String(file.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
                if relative.hasPrefix(Self.platformFolder) || relative.hasSuffix("/PlatformBoundaryTests.swift") || relative.contains("/.build") { continue }
                scanned += 1
                findings += Self.findings(in: try String(contentsOf: file, encoding: .utf8), file: relative)
            }
        }
        XCTAssertGreaterThan(scanned, 100, "the scan found the sources")
        XCTAssertEqual(findings, [], "system-specific code outside \(Self.platformFolder):\n" + findings.joined(separator: "\n"))
    }

    /// The scan itself finds what it is meant to find, and passes portable code.
    func testTheScanFlagsEachSystemSpecificSpelling() {
        let flagged = [
            "let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)",
            "_ = send(fd, p, n, Int32(MSG_NOSIGNAL))",
            "#if canImport(Glibc)\nimport Glibc\n#endif",
            "let me = URL(fileURLWithPath: \"/proc/self/exe\")",
            "var handle = pthread_t()",
            "#if os(Linux)\n#endif",
            "setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, 4)",
        ]
        for code in flagged {
            XCTAssertFalse(Self.findings(in: code, file: "x.swift").isEmpty, "not flagged: \(code)")
        }
        let portable = "let fd = Sockets.makeStreamSocket(family: AF_INET, nonBlocking: true)\n_ = Sockets.send(fd, p, n)\n// SOCK_CLOEXEC is set by Platform"
        XCTAssertEqual(Self.findings(in: portable, file: "x.swift"), [])
    }

    /// `file:line: code — why` for every system-specific spelling in `text`, comments left out.
    static func findings(in text: String, file: String) -> [String] {
        var found: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let code = line.trimmingCharacters(in: .whitespaces)
            if code.hasPrefix("//") { continue }
            for rule in systemSpecific where line.range(of: rule.pattern, options: .regularExpression) != nil {
                found.append("\(file):\(number + 1): \(code) — \(rule.why)")
            }
        }
        return found
    }
}
