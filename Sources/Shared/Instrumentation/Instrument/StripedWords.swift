import Synchronization

/// A metric's atomic words, with a copy per stripe for threads that record at the same time.
///
/// An atomic add takes about 2 ns when one core owns the cache line, and 5 to 10 ns or
/// more when two cores take turns owning it: the line travels between their caches on
/// every add. So a metric recorded from several threads keeps a copy of its words per
/// stripe, each on cache lines of its own, and a thread adds to the copy of the stripe its
/// stack address picks; reading the metric sums the copies. Every thread has a stack of its
/// own (8 MiB apart by default on Linux), so threads started one after another pick
/// different stripes; two threads share one with probability 1/`Stripes.count` at worst,
/// which costs speed, never correctness, since every copy is updated atomically.
///
/// Most series are only ever recorded from one thread, and four copies would make every
/// series several cache lines larger and every scrape read them all. So there is one copy
/// at first, the home block, which the first stripe to record claims; the copies for the
/// other stripes are allocated when a thread of another stripe first records.
@usableFromInline
struct StripedWords: ~Copyable, @unchecked Sendable {
    // Sendable although it holds pointers: `home` is set once, `others` is published
    // atomically once, and every access to the memory behind them is atomic.

    /// The words of the stripe that recorded first.
    @usableFromInline let home: UnsafeMutablePointer<Atomic<UInt64>>
    /// That stripe, or -1 until something is recorded.
    @usableFromInline let homeStripe = Atomic<Int>(-1)
    /// A block per stripe (the home stripe's unused), allocated by the first recording
    /// from another stripe.
    @usableFromInline let others = Atomic<UnsafeMutablePointer<Atomic<UInt64>>?>(nil)
    /// Words from one block to the next: whole cache lines.
    @usableFromInline let stride: Int

    /// Words of zero bits (0 as an integer, 0.0 as a Double), `words` per block.
    init(words: Int) {
        stride = Stripes.stride(forWords: words)
        home = Stripes.allocate(blocks: 1, stride: stride)
    }

    deinit {
        Stripes.deallocate(home, blocks: 1, stride: stride)
        if let others = others.load(ordering: .acquiring) {
            Stripes.deallocate(others, blocks: Stripes.count, stride: stride)
        }
    }

    /// The block the calling thread records into.
    @inlinable @inline(__always)
    func block() -> UnsafeMutablePointer<Atomic<UInt64>> {
        let stripe = Stripes.current()
        if stripe == homeStripe.load(ordering: .relaxed) { return home }
        if let others = others.load(ordering: .acquiring) { return others + stripe * stride }
        return block(elsewhere: stripe)
    }

    /// The block of a stripe that is not the home stripe while the others are not allocated:
    /// home, if this stripe is the first to record, otherwise its block among the others,
    /// allocated now.
    @usableFromInline @inline(never)
    func block(elsewhere stripe: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
        // Compare-exchange only while home is unclaimed: even a failing one takes the cache
        // line from the other cores.
        var owner = homeStripe.load(ordering: .relaxed)
        if owner == -1 {
            let claimed: Bool
            (claimed, owner) = homeStripe.compareExchange(expected: -1, desired: stripe, ordering: .relaxed)
            if claimed { return home }
        }
        if owner == stripe { return home }
        let fresh = Stripes.allocate(blocks: Stripes.count, stride: stride)
        let (published, existing) = others.compareExchange(expected: nil, desired: fresh, ordering: .acquiringAndReleasing)
        if published { return fresh + stripe * stride }
        Stripes.deallocate(fresh, blocks: Stripes.count, stride: stride)
        return existing! + stripe * stride
    }

    /// Word `word` summed over the blocks, as integers (wrapping, like the adds).
    @inline(__always)
    func sum(word: Int) -> UInt64 {
        var total = home[word].load(ordering: .relaxed)
        if let others = others.load(ordering: .acquiring) {
            for stripe in 0..<Stripes.count { total &+= others[stripe * stride + word].load(ordering: .relaxed) }
        }
        return total
    }

    /// Word `word` summed over the blocks, as the `Double`s their bits hold.
    ///
    /// A series recorded from one thread has only its home block, so its value is exactly
    /// the sum that thread accumulated.
    @inline(__always)
    func sumDouble(word: Int) -> Double {
        var total = home[word].loadDouble()
        if let others = others.load(ordering: .acquiring) {
            for stripe in 0..<Stripes.count { total += others[stripe * stride + word].loadDouble() }
        }
        return total
    }
}

/// The stripes that threads recording into one metric are spread over (see `StripedWords`).
@usableFromInline
enum Stripes {
    /// Stripes per metric: a power of two, enough for the few threads that record into
    /// one series at the same moment in a typical service.
    @inlinable static var count: Int { 4 }

    /// The bytes of a cache line on the machines this runs on (x86-64 and Arm64 servers).
    static let cacheLine = 64

    /// The stripe the calling thread records into.
    @inlinable @inline(__always)
    static func current() -> Int {
        var marker: UInt8 = 0
        return stripe(forStackAddress: withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) })
    }

    /// The stripe of a thread whose stack holds `address`.
    ///
    /// Threads started one after another get stacks next to each other: the default 8 MiB
    /// (and a guard page) apart on Linux, 1 MiB in some runtimes. For two such neighbours at
    /// the same depth, `address >> 23` differs by 1 or 2 and `address >> 20` by 8 or 9 (8 MiB
    /// stacks), or by 0 or 1 and by 1 or 2 (1 MiB stacks): either way their sum differs by
    /// 1, 2 or 3, never by a multiple of 4, so neighbours never share a stripe. (An XOR of the
    /// two, tried first, put one pair of 1 MiB neighbours in 16 on one stripe.) Threads whose
    /// stacks are not neighbours share a stripe by chance, one pair in four. The stripe stays
    /// the same while one thread calls in from nearby frames.
    @inlinable @inline(__always)
    static func stripe(forStackAddress address: UInt) -> Int {
        Int(truncatingIfNeeded: (address >> 20) &+ (address >> 23)) & (count - 1)
    }

    /// The words per block for `words` words: rounded up to whole cache lines.
    static func stride(forWords words: Int) -> Int {
        let perLine = cacheLine / MemoryLayout<Atomic<UInt64>>.stride
        return (words + perLine - 1) / perLine * perLine
    }

    /// Memory for `blocks` blocks of `stride` words, every word zero, each block starting
    /// on a cache line. Free it with `deallocate(_:blocks:stride:)`.
    static func allocate(blocks: Int, stride: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
        let words = stride * blocks
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: words * MemoryLayout<Atomic<UInt64>>.stride, alignment: cacheLine)
        let base = raw.bindMemory(to: Atomic<UInt64>.self, capacity: words)
        for index in 0..<words {
            (base + index).initialize(to: Atomic(0))
        }
        return base
    }

    /// Frees memory from `allocate(blocks:stride:)`.
    static func deallocate(_ base: UnsafeMutablePointer<Atomic<UInt64>>, blocks: Int, stride: Int) {
        base.deinitialize(count: stride * blocks)
        UnsafeMutableRawPointer(base).deallocate()
    }
}
