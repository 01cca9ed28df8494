import Foundation
import Platform
import XCTest

/// Reading a whole file, by copy and by mapping, for files, empty files, directories and pipes.
final class FileBytesTests: XCTestCase {
    private func file(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "workbook-filebytes-\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testMappedAndReadContentsAgree() throws {
        var random = SystemRandomNumberGenerator()
        for size in [1, 4095, 4096, 4097, 1 << 20, 3 * (1 << 20) + 17] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
            let path = try file(bytes)
            XCTAssertEqual(FileBytes.contents(of: path), bytes, "read, \(size) bytes")
            XCTAssertEqual(FileBytes.withContents(of: path) { Array($0) }, bytes, "mapped, \(size) bytes")
            XCTAssertNil(FileBytes.withContents(of: path, limit: size - 1) { _ in XCTFail("called over the limit") }, "\(size) bytes")
        }
    }

    func testEmptyMissingDirectoryAndPipe() throws {
        XCTAssertEqual(FileBytes.withContents(of: try file([])) { $0.count }, 0)
        XCTAssertNil(FileBytes.withContents(of: "/nonexistent/file") { $0.count })
        XCTAssertNil(FileBytes.withContents(of: NSTemporaryDirectory()) { $0.count }, "a directory is not read")
        // A pipe has no size to map: it is read to its end instead.
        let pipe = Pipe()
        let text = Array(String(repeating: "x_total 1 1700000000\n", count: 1_000).utf8)
        let writer = Thread { pipe.fileHandleForWriting.write(Data(text)); try? pipe.fileHandleForWriting.close() }
        writer.start()
        let read = FileBytes.withContents(of: "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)") { Array($0) }
        XCTAssertEqual(read, text)
    }
}
