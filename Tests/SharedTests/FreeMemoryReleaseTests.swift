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
        // 8 threads each allocate and touch 32 MiB in 64 KiB blocks (below the size malloc maps
        // on its own, so they come from the threads' arenas), then free all but the last: the
        // arena's top stays in use, so the allocator keeps the freed pages resident.
        let threads = 8, blocks = 512, blockSize = 64 * 1024
        let baseline = try XCTUnwrap(residentKilobytes(of: pid))
        let lastBlocks = Locked<[UnsafeMutableRawPointer]>([])
        let group = DispatchGroup()
        for _ in 0..<threads {
            DispatchQueue.global().async(group: group) {
                var held: [UnsafeMutableRawPointer] = []
                for _ in 0..<blocks {
                    let block = malloc(blockSize)!
                    memset(block, 1, blockSize)
                    held.append(block)
                }
                for block in held.dropLast() { free(block) }
                lastBlocks.withLock { $0.append(held.last!) }
            }
        }
        group.wait()
        defer { lastBlocks.withLock { $0.forEach { free($0) } } }
        let before = try XCTUnwrap(residentKilobytes(of: pid))
        let released = releaseFreeMemory()
        let after = try XCTUnwrap(residentKilobytes(of: pid))
        print("FreeMemoryRelease: resident \(baseline) kB at the start, \(before) kB after freeing, \(after) kB after releasing (released: \(released))")
        // What the freed blocks left resident (how much depends on how many arenas the
        // threads got); at least 16 MiB, or this test tests nothing.
        let kept = before - baseline
        XCTAssertGreaterThan(kept, 16 * 1024, "resident \(baseline) kB at the start, \(before) kB after freeing")
        if released {
            XCTAssertLessThan(after - baseline, kept / 2, "resident \(baseline) kB at the start, \(before) kB after freeing, \(after) kB after releasing")
        }
    }
}
