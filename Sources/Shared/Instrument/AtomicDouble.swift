import Synchronization

/// A `Double` kept as its bit pattern in an atomic word.
///
/// There is no atomic floating-point add in hardware, so `add` loads, adds and
/// compare-exchanges until no other thread wrote in between (about 5 ns alone).
extension Atomic where Value == UInt64 {
    @inline(__always)
    func loadDouble() -> Double {
        Double(bitPattern: load(ordering: .relaxed))
    }

    @inline(__always)
    func storeDouble(_ value: Double) {
        store(value.bitPattern, ordering: .relaxed)
    }

    @inline(__always)
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

/// A fixed number of atomic counters in one allocation.
///
/// `Atomic` cannot be copied, so `[Atomic<UInt64>]` does not exist; this owns a
/// pointer initialised slot by slot instead and frees it on deinit.
final class AtomicSlots: @unchecked Sendable {
    // Safe to share: the pointer is never reassigned, and every access to a slot goes
    // through the slot's own atomic operations.
    private let slots: UnsafeMutablePointer<Atomic<UInt64>>
    let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        for index in 0..<count {
            (slots + index).initialize(to: Atomic(0))
        }
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    @inline(__always)
    func increment(_ index: Int) {
        slots[index].wrappingAdd(1, ordering: .relaxed)
    }

    @inline(__always)
    func load(_ index: Int) -> UInt64 {
        slots[index].load(ordering: .relaxed)
    }
}
