/// How much memory a process holds resident, in kibibytes (its RSS), or nil when the system
/// cannot say.
///
/// Linux reads `VmRSS` from `/proc/<pid>/status`. macOS has no `/proc`; there it is nil (a
/// caller reports "unknown"), which is what the workbook's tests that print it expect.
public func residentKilobytes(of pid: Int32) -> Int? {
    #if canImport(Darwin)
    return nil
    #else
    guard let bytes = FileBytes.contents(of: "/proc/\(pid)/status", limit: 1 << 20) else { return nil }
    let status = String(decoding: bytes, as: UTF8.self)
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
    return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    #endif
}
