/// The 64-bit FNV-1a hash of `bytes`: a fixed, fast fingerprint (not for security), the same
/// on every run and every machine, unlike Swift's `Hasher`.
public func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
}
