import Foundation

/// Seeded exponential latencies for the summary rows: the same numbers every run, from
/// SplitMix64 (the benchmark links the engine, not the lesson kit's generator).
struct Latencies {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// The next value, exponentially distributed with mean 1.
    mutating func exponential() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        value ^= value >> 31
        return -log(1 - Double(value >> 11) * 0x1p-53)
    }
}
