import Synchronization
import Platform


/// A test-and-test-and-set lock for critical sections of a few nanoseconds.
///
/// `Synchronization.Mutex` on Linux is a priority-inheritance futex: fine alone, but a
/// contended lock costs a system call. A summary appends one value to a buffer under
/// this lock; a family looks up a child. A waiter spins briefly, then yields its time
/// slice so that on a two-core machine the holder can run.
///
/// Only for sections that are short and bounded whatever the data: no allocation that
/// grows with a collection, no sorting, no loop over every element. Longer work (a
/// scrape reading a family, a summary merging a batch) copies out what it needs under
/// this lock and does the rest after, or takes a lock that parks (`Mutex`).
final class SpinLock: Sendable {
    private let held = Atomic<Bool>(false)

    @inline(__always)
    func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        lock()
        defer { held.store(false, ordering: .releasing) }
        return try body()
    }

    @inline(__always)
    private func lock() {
        if held.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged { return }
        var spins = 0
        while true {
            if !held.load(ordering: .relaxed),
               held.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
                return
            }
            spins += 1
            if spins >= 64 {
                sched_yield()
                spins = 0
            }
        }
    }
}
