// The byte-level helpers the encoders and the exposition merger write with.

extension UnsafeMutablePointer<UInt8> {
    /// Stores `byte` here and moves past it.
    @inline(__always)
    mutating func put(_ byte: UInt8) {
        pointee = byte
        self += 1
    }
}

/// Calls `body` with the UTF-8 bytes of `text`, without copying them when the string
/// stores them contiguously (native and small strings do).
@inline(__always)
func withUTF8<Result>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
    if let result = try text.utf8.withContiguousStorageIfAvailable(body) { return result }
    return try Array(text.utf8).withUnsafeBufferPointer(body)
}

/// Copies `count` bytes between buffers that do not overlap.
///
/// The exposition is written in pieces of a few bytes to a few dozen. Up to 32 bytes are
/// moved here as at most four overlapping words (fewer for shorter pieces), which costs
/// less than a call to memcpy; longer pieces go to memcpy.
@inline(__always)
func copyBytes(from source: UnsafePointer<UInt8>, to destination: UnsafeMutablePointer<UInt8>, count: Int) {
    let from = UnsafeRawPointer(source)
    let to = UnsafeMutableRawPointer(destination)
    func move<Word>(_: Word.Type, at offset: Int) {
        to.storeBytes(of: from.loadUnaligned(fromByteOffset: offset, as: Word.self), toByteOffset: offset, as: Word.self)
    }
    switch count {
    case 17...32:
        move(UInt64.self, at: 0)
        move(UInt64.self, at: 8)
        move(UInt64.self, at: count - 16)
        move(UInt64.self, at: count - 8)
    case 8...16:
        move(UInt64.self, at: 0)
        move(UInt64.self, at: count - 8)
    case 4...7:
        move(UInt32.self, at: 0)
        move(UInt32.self, at: count - 4)
    case 2...3:
        move(UInt16.self, at: 0)
        move(UInt16.self, at: count - 2)
    case 1:
        destination[0] = source[0]
    case 0:
        break
    default:
        to.copyMemory(from: from, byteCount: count)
    }
}
