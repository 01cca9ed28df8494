/// The text of a system error number: `Connection refused`.
public func systemErrorText(_ code: Int32) -> String {
    String(cString: strerror(code))
}

/// A system call that failed, with the system's reason: `pthread_create failed: Resource temporarily unavailable`.
public struct SystemCallError: Error, CustomStringConvertible, Equatable {
    /// The call's name: `pthread_create`, `pipe`.
    public let call: String
    /// The system's text for the error number.
    public let reason: String

    public init(_ call: String, code: Int32) {
        self.call = call
        self.reason = systemErrorText(code)
    }

    public var description: String { "\(call) failed: \(reason)" }
}
