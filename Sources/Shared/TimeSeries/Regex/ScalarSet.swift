/// A set of Unicode scalars as sorted, disjoint, non-adjacent ranges of their values.
struct ScalarSet: Sendable {
    private(set) var ranges: [ClosedRange<UInt32>] = []

    static let maximum: UInt32 = 0x10FFFF

    /// The set of the scalars in `ranges`, which may overlap and come in any order.
    init(_ ranges: [ClosedRange<UInt32>] = []) {
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = self.ranges.last, range.lowerBound <= last.upperBound + 1 {
                self.ranges[self.ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                self.ranges.append(range)
            }
        }
    }

    init(_ scalar: Unicode.Scalar) {
        ranges = [scalar.value...scalar.value]
    }

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < value { low = middle + 1 } else { high = middle }
        }
        return low < ranges.count && ranges[low].contains(value)
    }

    func union(_ other: ScalarSet) -> ScalarSet {
        ScalarSet(ranges + other.ranges)
    }

    /// Every scalar not in the set (surrogate values are not scalars and never match anyway).
    func inverted() -> ScalarSet {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound + 1
        }
        if next <= Self.maximum { result.append(next...Self.maximum) }
        return ScalarSet(result)
    }

    /// The set with every letter's other cases added, as `(?i)` wants.
    func caseFolded() -> ScalarSet {
        var added: [ClosedRange<UInt32>] = []
        let size = ranges.reduce(0) { $0 + $1.count }
        if size <= 64 {
            // A few letters: look each one up.
            for value in ranges.joined() {
                guard let orbit = CaseFolding.orbitIndex[value] else { continue }
                added += CaseFolding.orbits[orbit].map { $0...$0 }
            }
        } else {
            for orbit in CaseFolding.orbits where orbit.contains(where: { contains(Unicode.Scalar($0)!) }) {
                added += orbit.map { $0...$0 }
            }
        }
        return ScalarSet(ranges + added)
    }
}

/// Go's simple case folding: the scalars that `(?i)` treats as the same letter, such as
/// k, K and the Kelvin sign K, or s, S and the long s ſ.
enum CaseFolding {
    /// The groups of two or more scalars that fold together, built once from the Unicode
    /// case mappings: two scalars belong together when uppercasing then lowercasing them
    /// (each only where the mapping is a single scalar) gives the same scalar.
    static let orbits: [[UInt32]] = {
        var byKey: [UInt32: [UInt32]] = [:]
        for value in UInt32(0)...0x1FFFF {
            guard let scalar = Unicode.Scalar(value), scalar.properties.changesWhenCaseMapped else { continue }
            // Go folds the Turkish dotted and dotless i only to themselves.
            if value == 0x130 || value == 0x131 { continue }
            byKey[key(scalar).value, default: []].append(value)
        }
        return byKey.map { key, members in Array(Set(members + [key])).sorted() }.filter { $0.count > 1 }
    }()

    /// For each scalar in an orbit, the orbit's index in `orbits`.
    static let orbitIndex: [UInt32: Int] = {
        var index: [UInt32: Int] = [:]
        for (number, orbit) in orbits.enumerated() {
            for value in orbit { index[value] = number }
        }
        return index
    }()

    private static func key(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let upper = single(scalar.properties.uppercaseMapping) ?? scalar
        return single(upper.properties.lowercaseMapping) ?? upper
    }

    private static func single(_ text: String) -> Unicode.Scalar? {
        let scalars = text.unicodeScalars
        return scalars.count == 1 ? scalars.first : nil
    }
}
