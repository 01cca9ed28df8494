
/// A value guarded by a POSIX mutex, for state touched off the recording path:
/// registering families, creating labelled children, collecting, storing samples.
///
/// Why not `Synchronization.Mutex`: on Linux it is built on raw futex calls inside the
/// uninstrumented standard library, so the thread sanitizer cannot see it synchronise and
/// reports races that are not there. A pthread mutex it understands, and uncontended it
/// costs about the same.
public final class Locked<State>: @unchecked Sendable {
    // The state is only touched inside `withLock`, under `mutex`; that makes sharing safe.
    private var state: State
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init(_ state: State) {
        self.state = state
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inline(__always)
    public func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }
}
