import Platform

/// An IPv4 or IPv6 socket address, held in the kernel's own layout so it can be passed
/// straight to `bind`, `connect` and `getsockname`.
struct SocketAddress {
    private var storage = sockaddr_storage()
    private var length = socklen_t(MemoryLayout<sockaddr_storage>.size)

    /// `AF_INET` or `AF_INET6`.
    var family: Int32 { Int32(storage.ss_family) }

    /// The address as digits (`127.0.0.1`, `::1`) and the port.
    var hostAndPort: (host: String, port: UInt16) {
        // 64 bytes hold the longest numeric IPv6 address with a zone; 8 hold any port.
        var host = [CChar](repeating: 0, count: 64), service = [CChar](repeating: 0, count: 8)
        let status = withSockaddr { address, length in
            getnameinfo(address, length, &host, socklen_t(host.count), &service, socklen_t(service.count), NI_NUMERICHOST | NI_NUMERICSERV)
        }
        guard status == 0 else { return ("?", 0) }
        return (String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
                UInt16(String(decoding: service.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)) ?? 0)
    }

    /// Calls `body` with the address as the `sockaddr` pointer and length the socket calls take.
    func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result) rethrows -> Result {
        try withUnsafePointer(to: storage) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, length) }
        }
    }

    /// The address `descriptor` is bound to, read back from the kernel; nil if it cannot say.
    static func local(of descriptor: Int32) -> SocketAddress? {
        var address = SocketAddress()
        let status = withUnsafeMutablePointer(to: &address.storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &address.length) }
        }
        return status == 0 ? address : nil
    }

    /// The addresses `host` stands for at `port`: one for a numeric address, possibly
    /// several (IPv6 and IPv4) for a name such as `localhost`.
    ///
    /// - Parameter passive: the addresses are for listening, not connecting.
    /// - Throws: `ResolutionFailure` with the resolver's reason.
    static func resolve(host: String, port: UInt16, passive: Bool) throws(ResolutionFailure) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Sockets.streamType
        hints.ai_flags = passive ? AI_PASSIVE : 0
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else { throw ResolutionFailure(reason: String(cString: gai_strerror(status))) }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var entry = list
        while let current = entry?.pointee {
            if let source = current.ai_addr, current.ai_addrlen <= socklen_t(MemoryLayout<sockaddr_storage>.size) {
                var address = SocketAddress()
                withUnsafeMutableBytes(of: &address.storage) { target in
                    target.copyMemory(from: UnsafeRawBufferPointer(start: source, count: Int(current.ai_addrlen)))
                }
                address.length = current.ai_addrlen
                addresses.append(address)
            }
            entry = current.ai_next
        }
        guard !addresses.isEmpty else { throw ResolutionFailure(reason: "no address found") }
        return addresses
    }

    /// Why a host name could not be turned into an address.
    struct ResolutionFailure: Error {
        let reason: String
    }
}
