import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs `body` on `count` new threads at once and waits for all of them.
///
/// The threads are created first and released together from a spin barrier, so that they
/// really overlap; the time to create and join them (tens of microseconds) is small next to
/// a sample of a million operations per thread.
func runConcurrently(threads count: Int, _ body: @escaping @Sendable () -> Void) {
    let start = StartLine(runners: count)
    let handles = (0..<count).map { _ in
        spawn {
            start.arriveAndWait()
            body()
        }
    }
    for handle in handles { pthread_join(handle, nil) }
}

/// A barrier the runners spin on until every one of them has arrived.
private final class StartLine: Sendable {
    private let waiting: Atomic<Int>

    init(runners: Int) {
        waiting = Atomic(runners)
    }

    func arriveAndWait() {
        waiting.subtract(1, ordering: .acquiringAndReleasing)
        while waiting.load(ordering: .acquiring) > 0 {}
    }
}

/// What a new thread runs, handed over through `pthread_create`'s context pointer.
private final class ThreadEntry: Sendable {
    let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
    }
}

/// Starts `body` on a new POSIX thread with the default attributes.
private func spawn(_ body: @escaping @Sendable () -> Void) -> pthread_t {
    let context = Unmanaged.passRetained(ThreadEntry(body)).toOpaque()
    var handle = pthread_t()
    let status = pthread_create(&handle, nil, { context in
        Unmanaged<ThreadEntry>.fromOpaque(context!).takeRetainedValue().body()
        return nil
    }, context)
    precondition(status == 0, "pthread_create failed with \(status)")
    return handle
}
