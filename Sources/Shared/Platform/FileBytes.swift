/// A whole file read straight into an array of bytes.
///
/// `FileManager.contents(atPath:)` gives a `Data` that callers then copy into `[UInt8]` for
/// the parser: two buffers and two rounds of page faults for an 18 MB data file. This reads
/// once, into the array the parser takes.
public enum FileBytes {
    /// Calls `body` with the bytes of the file at `path`, mapped into memory rather than read:
    /// no copy, and pages the kernel already holds are used as they are. Returns nil, without
    /// calling `body`, when the file cannot be opened or holds more than `limit` bytes.
    ///
    /// A file that cannot be mapped (a pipe, or one under /proc whose size reads as 0) is read
    /// with `contents(of:limit:)` instead. The file must not shrink while `body` runs: reading
    /// a mapped page past a new end stops the process, so this is for files the caller owns,
    /// such as a data file named on the command line.
    public static func withContents<Result>(
        of path: String, limit: Int = Int.max, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        let size = fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG ? Int(status.st_size) : 0
        guard size <= limit else {
            close(descriptor)
            return nil
        }
        let mapped = size > 0 ? mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0) : nil
        close(descriptor)
        guard let mapped, mapped != UnsafeMutableRawPointer(bitPattern: -1) else {
            guard let bytes = contents(of: path, limit: limit) else { return nil }
            return try bytes.withUnsafeBufferPointer(body)
        }
        defer { munmap(mapped, size) }
        return try body(UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size))
    }

    /// The file's bytes, or nil when it cannot be opened or read, or holds more than `limit` bytes.
    public static func contents(of path: String, limit: Int = Int.max) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        let size = Int(status.st_size)
        guard size >= 0, size <= limit else { return nil }
        var failed = false
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            while initialized < size {
                let count = read(descriptor, buffer.baseAddress! + initialized, size - initialized)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { failed = count < 0; break }
                initialized += count
            }
        }
        guard !failed else { return nil }
        // A file that grew since fstat: the rest, in pieces, up to the limit.
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return nil }
            guard count > 0 else { break }
            guard bytes.count + count <= limit else { return nil }
            bytes += chunk[..<count]
        }
        return bytes
    }
}
