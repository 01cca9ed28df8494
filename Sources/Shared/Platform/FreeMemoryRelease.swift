/// Hands the memory the C library's allocator holds free back to the system, where that
/// allocator keeps it; returns false where there is nothing to call.
///
/// glibc's malloc keeps what a thread frees in that thread's arena, for the thread to reuse.
/// A server whose handler threads each build and drop a large query answer ends up resident
/// at every arena's high-water mark: `lesson serve all`, asked for every series every few
/// seconds, grew from 41 to 68 MiB in three minutes while holding 37 MiB of live data, which
/// is what `malloc_trim(0)` brought it back to. glibc exports `malloc_trim`, but its Swift
/// module does not declare it, so it is looked up by name; musl and macOS have none (their
/// allocators return freed memory themselves), and there this does nothing.
@discardableResult
public func releaseFreeMemory() -> Bool {
    guard let trim = mallocTrim else { return false }
    _ = trim(0)
    return true
}

private typealias MallocTrim = @convention(c) (Int) -> Int32

/// glibc's `malloc_trim`, found once in the symbols already loaded; nil where there is none.
private let mallocTrim: MallocTrim? = {
    #if canImport(Glibc)
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
    return unsafeBitCast(symbol, to: MallocTrim.self)
    #else
    return nil
    #endif
}()
