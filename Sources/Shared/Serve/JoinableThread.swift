#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX thread that can be waited for.
///
/// `Foundation.Thread` cannot be joined, and `stop()` must not return while the event loop
/// or a handler thread still touches sockets it is about to close.
final class JoinableThread: Sendable {
    private let handle: pthread_t

    /// Starts `body` on a new thread.
    init(body: @escaping @Sendable () -> Void) throws(HTTPServerError) {
        let context = Unmanaged.passRetained(ThreadBody(run: body)).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(&handle, nil, { context in
            let body = Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue()
            body.run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            throw .systemCallFailed("pthread_create", reason: systemErrorText(status))
        }
        self.handle = handle
    }

    /// Waits for the thread to finish. Call it once, and not from the thread itself.
    func join() {
        _ = pthread_join(handle, nil)
    }
}

/// What a new thread runs, passed through `pthread_create`'s context pointer.
private final class ThreadBody: Sendable {
    let run: @Sendable () -> Void

    init(run: @escaping @Sendable () -> Void) {
        self.run = run
    }
}
