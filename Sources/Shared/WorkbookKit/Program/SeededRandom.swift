import Platform

/// A small, fast, seedable random number generator (SplitMix64, by Steele, Lea and Flood).
///
/// Demos and tests draw from it so that every run shows the same numbers: a learner can
/// compare their screen with the notes, and a failing test fails the same way twice.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A number in `0..<bound`; the modulo bias is negligible for the small bounds used here.
    public mutating func next(below bound: UInt64) -> UInt64 {
        next() % bound
    }

    /// A uniform value in [0, 1), with 53 random bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// An exponentially distributed value with mean 1: waiting times, most latencies' long tail.
    public mutating func exponential() -> Double {
        -log(1 - unit())
    }
}
