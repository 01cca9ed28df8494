import Platform

/// Why an `HTTPServer` could not start; each description is one line saying what to do.
public enum HTTPServerError: Error, Equatable, CustomStringConvertible {
    /// Another socket already listens on the port.
    case addressInUse(host: String, port: UInt16)
    /// The port is privileged (below 1024) and the process may not bind it.
    case permissionDenied(host: String, port: UInt16)
    /// The host is not an address of this machine.
    case addressNotAvailable(host: String)
    /// The host name could not be resolved.
    case unknownHost(String, reason: String)
    /// A system call failed for another reason, such as running out of file descriptors.
    case systemCallFailed(String, reason: String)
    /// `start()` was called on a server that was already started.
    case alreadyStarted

    /// The server could not start because a system call failed.
    init(_ failure: SystemCallError) {
        self = .systemCallFailed(failure.call, reason: failure.reason)
    }

    public var description: String {
        switch self {
        case .addressInUse(let host, let port):
            "port \(port) on \(host) is already in use; stop the other program or pass --port"
        case .permissionDenied(let host, let port):
            "port \(port) on \(host) needs administrator rights; use a port above 1023, such as 3001"
        case .addressNotAvailable(let host):
            "\(host) is not an address of this machine; listen on 127.0.0.1, or 0.0.0.0 for every interface"
        case .unknownHost(let host, let reason):
            "cannot resolve host \(host) (\(reason)); pass an address such as 127.0.0.1"
        case .systemCallFailed(let call, let reason):
            "cannot start the HTTP server: \(call) failed: \(reason)"
        case .alreadyStarted:
            "this HTTP server was already started; create a new HTTPServer to serve again"
        }
    }
}
