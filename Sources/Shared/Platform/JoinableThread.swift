/// A POSIX thread that can be waited for: the one way the workbook starts a thread.
///
/// `Foundation.Thread` cannot be joined, and a server's `stop()` must not return while its
/// event loop or a handler thread still touches sockets it is about to close.
public final class JoinableThread: @unchecked Sendable {
    // Linux's pthread_t is an integer, macOS's a pointer (not Sendable); either way it is
    // written once, here, and only read after, by join().
    private let handle: pthread_t

    /// Starts `body` on a new thread.
    ///
    /// - Throws: `SystemCallError` when the system refuses a new thread.
    public init(body: @escaping @Sendable () -> Void) throws(SystemCallError) {
        let context = Unmanaged.passRetained(ThreadBody(run: body)).toOpaque()
        #if canImport(Darwin)
        var created: pthread_t?
        let status = pthread_create(&created, nil, { context in
            Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }, context)
        #else
        var created = pthread_t()
        let status = pthread_create(&created, nil, { context in
            Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        #endif
        guard status == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            throw SystemCallError("pthread_create", code: status)
        }
        #if canImport(Darwin)
        self.handle = created!
        #else
        self.handle = created
        #endif
    }

    /// Waits for the thread to finish. Call it once, and not from the thread itself.
    public func join() {
        let status = pthread_join(handle, nil)
        precondition(status == 0, "pthread_join failed: \(systemErrorText(status))")
    }
}

/// What a new thread runs, passed through `pthread_create`'s context pointer.
private final class ThreadBody: Sendable {
    let run: @Sendable () -> Void

    init(run: @escaping @Sendable () -> Void) {
        self.run = run
    }
}
