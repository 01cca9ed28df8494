import Foundation
import Platform
import TestSupport
import XCTest

/// Memory freed on other threads goes back to the system when asked, where the allocator holds it.
final class FreeMemoryReleaseTests: XCTestCase {
    func testFreedMemoryOfManyThreadsLeavesTheProcess() throws {
        let pid = ProcessInfo.processInfo.processIdentifier
        guard residentKilobytes(of: pid) != nil else { throw XCTSkip("this system does not report resident memory") }
        // The sanitizer brings an allocator of its own, which malloc_trim does not reach.
        if ThreadSanitizerRun.isOn { throw XCTSkip("the thread sanitizer replaces the allocator this test is about") }
        // 8 threads each allocate and touch 96 MiB in 64 KiB blocks (below the size malloc
        // maps on its own, so they come from the threads' arenas), then free them.
        let threads = 8, blocks = 1_536, blockSize = 64 * 1024
        let group = DispatchGroup()
        for _ in 0..<threads {
            DispatchQueue.global().async(group: group) {
                var held: [UnsafeMutableRawPointer] = []
                for _ in 0..<blocks {
                    let block = malloc(blockSize)!
                    memset(block, 1, blockSize)
                    held.append(block)
                }
                // Freed in the order allocated, keeping the last: the arena's top stays in use,
                // so only a trim that looks inside the heap can give the rest back.
                for block in held.dropLast() { free(block) }
                free(held.last!)
            }
        }
        group.wait()
        let before = try XCTUnwrap(residentKilobytes(of: pid))
        let released = releaseFreeMemory()
        let after = try XCTUnwrap(residentKilobytes(of: pid))
        #if canImport(Glibc)
        XCTAssertTrue(released, "glibc has malloc_trim")
        // 768 MiB were freed; most of what the arenas kept of it must leave.
        XCTAssertLessThan(after, before - 100_000, "resident \(before) kB before, \(after) kB after")
        #endif
        print("FreeMemoryRelease: resident \(before) kB after freeing, \(after) kB after releasing (released: \(released))")
    }
}
