/// The socket calls whose spelling differs between Linux and macOS, in one place.
///
/// Linux sets close-on-exec and non-blocking in `socket()` itself and asks `send()` not to
/// raise SIGPIPE with `MSG_NOSIGNAL`; macOS has neither flag, so it uses `fcntl()` after
/// the fact and the per-socket `SO_NOSIGPIPE` option instead.
public enum Sockets {
    /// `SOCK_STREAM` as the `Int32` that `socket()` and `addrinfo.ai_socktype` take.
    public static var streamType: Int32 {
        #if canImport(Darwin)
        SOCK_STREAM
        #else
        Int32(SOCK_STREAM.rawValue)
        #endif
    }

    /// A new TCP socket of `family` (`AF_INET` or `AF_INET6`) that is closed on `exec` and
    /// never raises SIGPIPE; non-blocking when asked. Returns -1 with `errno` set on failure.
    public static func makeStreamSocket(family: Int32, nonBlocking: Bool) -> Int32 {
        #if canImport(Darwin)
        let descriptor = socket(family, SOCK_STREAM, 0)
        guard descriptor >= 0 else { return descriptor }
        setCloseOnExec(descriptor)
        if nonBlocking { setNonBlocking(descriptor) }
        setNoSignalOnBrokenPipe(descriptor)
        return descriptor
        #else
        let flags = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | (nonBlocking ? Int32(SOCK_NONBLOCK.rawValue) : 0)
        return socket(family, flags, 0)
        #endif
    }

    /// Prepares a socket returned by `accept()`: closed on `exec`, non-blocking, no SIGPIPE.
    public static func prepareAccepted(_ descriptor: Int32) {
        setCloseOnExec(descriptor)
        setNonBlocking(descriptor)
        setNoSignalOnBrokenPipe(descriptor)
    }

    /// `send()` that reports a closed peer as `EPIPE` instead of killing the process with SIGPIPE.
    public static func send(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Darwin)
        systemSend(descriptor, bytes, count, 0)
        #else
        systemSend(descriptor, bytes, count, Int32(MSG_NOSIGNAL))
        #endif
    }

    /// Makes `descriptor` non-blocking, so a read or write that cannot proceed returns at once.
    public static func setNonBlocking(_ descriptor: Int32) {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    /// Closes `descriptor` in any program this process starts, so children never hold its sockets.
    public static func setCloseOnExec(_ descriptor: Int32) {
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
    }

    /// Ignores SIGPIPE for the whole process: a peer that hangs up mid-write costs an `EPIPE`.
    public static func ignoreBrokenPipeSignal() {
        signal(SIGPIPE, SIG_IGN)
    }

    private static func setNoSignalOnBrokenPipe(_ descriptor: Int32) {
        #if canImport(Darwin)
        var on: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }
}

/// The C library's `send`, under a name that `Sockets.send` does not shadow.
private func systemSend(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
    send(descriptor, bytes, count, flags)
}
