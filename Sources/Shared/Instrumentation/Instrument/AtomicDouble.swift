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

    /// Adds `amount` and returns the bits the word held before.
    @inlinable @inline(__always) @discardableResult
    func addDouble(_ amount: Double) -> UInt64 {
        var current = load(ordering: .relaxed)
        while true {
            let next = (Double(bitPattern: current) + amount).bitPattern
            let (exchanged, original) = compareExchange(
                expected: current, desired: next, ordering: .relaxed)
            if exchanged { return current }
            current = original
        }
    }
}
