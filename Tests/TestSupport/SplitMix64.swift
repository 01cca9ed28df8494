import Foundation

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64), so every run sees the same data.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A number in `0..<bound` (with a negligible bias for small bounds).
    public mutating func next(below bound: UInt64) -> UInt64 {
        next() % bound
    }

    /// A uniform value in [0, 1) with 53 random bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// An exponentially distributed value with mean 1.
    public mutating func exponential() -> Double {
        -log(1 - unit())
    }
}
