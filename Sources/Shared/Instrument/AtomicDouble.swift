import Synchronization

/// A `Double` kept as its bit pattern in an atomic word.
///
/// There is no atomic floating-point add in hardware, so `add` loads, adds and
/// compare-exchanges until no other thread wrote in between (about 5 ns alone).
extension Atomic where Value == UInt64 {
    @inlinable @inline(__always)
    func loadDouble() -> Double {
        Double(bitPattern: load(ordering: .relaxed))
    }

    @inlinable @inline(__always)
    func storeDouble(_ value: Double) {
        store(value.bitPattern, ordering: .relaxed)
    }

    @inlinable @inline(__always)
    func addDouble(_ amount: Double) {
        var current = load(ordering: .relaxed)
        while true {
            let next = (Double(bitPattern: current) + amount).bitPattern
            let (exchanged, original) = compareExchange(
                expected: current, desired: next, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}

/// Atomic words kept once per stripe, so that threads recording at the same time
/// do not fight over one cache line.
///
/// An atomic add takes about 2 ns when one core owns the cache line, and 5 to 10 ns or
/// more when two cores take turns owning it: the line travels between their caches on
/// every add. So a counter or histogram keeps `count` copies of its words (the stripes),
/// each on cache lines of its own, and a thread adds to the copy its stack address picks;
/// reading the metric sums the copies. Every thread has a stack of its own (8 MiB apart
/// by default on Linux), so threads started one after another pick different stripes;
/// two threads share one with probability 1/`count` at worst, which costs speed, never
/// correctness, since every stripe is updated atomically.
@usableFromInline
enum Stripes {
    /// Stripes per metric: a power of two, enough for the few threads that record into
    /// one series at the same moment in a typical service.
    @inlinable static var count: Int { 4 }

    /// The bytes of a cache line on the machines this runs on (x86-64 and Arm64 servers).
    static let cacheLine = 64

    /// The stripe the calling thread records into.
    ///
    /// Derived from the address of a local variable: bits 20 and up tell stacks apart
    /// whether threads get the default 8 MiB or 1 MiB, and stay the same while one
    /// thread calls in from nearby frames.
    @inlinable @inline(__always)
    static func current() -> Int {
        var marker: UInt8 = 0
        let address = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        return Int(truncatingIfNeeded: (address >> 20) ^ (address >> 23)) & (count - 1)
    }

    /// The words per stripe for `words` words: rounded up to whole cache lines.
    static func stride(forWords words: Int) -> Int {
        let perLine = cacheLine / MemoryLayout<Atomic<UInt64>>.stride
        return (words + perLine - 1) / perLine * perLine
    }

    /// Memory for `count` stripes of `stride` words, every word zero, each stripe starting
    /// on a cache line. Free it with `deallocate(_:stride:)`.
    static func allocate(stride: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
        let words = stride * count
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: words * MemoryLayout<Atomic<UInt64>>.stride, alignment: cacheLine)
        let base = raw.bindMemory(to: Atomic<UInt64>.self, capacity: words)
        for index in 0..<words {
            (base + index).initialize(to: Atomic(0))
        }
        return base
    }

    /// Frees memory from `allocate(stride:)`.
    static func deallocate(_ base: UnsafeMutablePointer<Atomic<UInt64>>, stride: Int) {
        base.deinitialize(count: stride * count)
        UnsafeMutableRawPointer(base).deallocate()
    }

    /// Word `word` summed over the stripes, as integers (wrapping, like the adds).
    static func sum(_ base: UnsafeMutablePointer<Atomic<UInt64>>, stride: Int, word: Int) -> UInt64 {
        var total: UInt64 = 0
        for stripe in 0..<count {
            total &+= base[stripe * stride + word].load(ordering: .relaxed)
        }
        return total
    }

    /// Word `word` summed over the stripes, as the `Double`s their bits hold.
    ///
    /// A series recorded from one thread has one non-zero stripe, so its value is exactly
    /// the sum that thread accumulated; adding the other stripes' zeros changes nothing.
    static func sumDouble(_ base: UnsafeMutablePointer<Atomic<UInt64>>, stride: Int, word: Int) -> Double {
        var total = 0.0
        for stripe in 0..<count {
            total += base[stripe * stride + word].loadDouble()
        }
        return total
    }
}
