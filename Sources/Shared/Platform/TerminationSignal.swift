import Synchronization


/// The write end of the pipe the signal handler writes to; -1 while nobody waits.
private let terminationPipe = Atomic<Int32>(-1)

/// Waits for SIGINT or SIGTERM without letting either kill the process.
///
/// A signal handler may do almost nothing: no locks, no allocation, nothing that is not
/// async-signal-safe. So it only writes the signal's number into a pipe (the "self-pipe
/// trick"), and `wait()` blocks in an ordinary `read` on the other end.
public enum TerminationSignal {
    /// Blocks until SIGINT or SIGTERM arrives and returns its number.
    ///
    /// While it waits, those signals are caught rather than fatal; afterwards their
    /// previous handling is restored. One thread at a time may wait.
    public static func wait() -> Int32 {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { fatalError("cannot wait for SIGINT/SIGTERM: pipe failed: \(systemErrorText(errno))") }
        defer {
            close(ends[0])
            close(ends[1])
        }
        guard terminationPipe.compareExchange(expected: -1, desired: ends[1], ordering: .sequentiallyConsistent).exchanged else {
            preconditionFailure("runUntilTerminated() is already waiting on another thread; wait on one thread only")
        }
        let previous = [SIGINT, SIGTERM].map { ($0, signal($0, handleTermination)) }
        var received: UInt8 = 0
        while read(ends[0], &received, 1) < 0, errno == EINTR {}
        for (number, handler) in previous { signal(number, handler) }
        terminationPipe.store(-1, ordering: .sequentiallyConsistent)
        return Int32(received)
    }
}

/// The signal handler: writes the signal's number to the pipe, touching nothing else.
private func handleTermination(_ number: Int32) {
    let savedError = errno
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(terminationPipe.load(ordering: .sequentiallyConsistent), &byte, 1)
    errno = savedError
}

/// Whether `number` currently has a handler installed, rather than the default action or `SIG_IGN`.
public func signalHasHandler(_ number: Int32) -> Bool {
    var current = sigaction()
    sigaction(number, nil, &current)
    #if canImport(Darwin)
    let handler = unsafeBitCast(current.__sigaction_u.__sa_handler, to: Int.self)
    #else
    let handler = unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self)
    #endif
    return handler != 0 && handler != 1
}
