/// One step of a compiled regular expression. Instructions other than `split` and `jump`
/// continue with the next one.
enum RegexInstruction: Sendable {
    /// Consume one scalar from the set (index into `RegexProgram.sets`).
    case consume(set: Int)
    /// Consume this scalar: the common case of `consume`, checked without a search.
    case consumeScalar(Unicode.Scalar)
    /// Try `preferred` first, then `other`: how alternation and repetition branch.
    case split(preferred: Int, other: Int)
    case jump(Int)
    /// Record the current position in capture slot `slot` (2n: group n starts, 2n+1: ends).
    case save(slot: Int)
    case assert(RegexAssertion)
    /// The whole text has matched.
    case match
}

/// A compiled regular expression: instructions, the sets of scalars they consume, and the groups.
struct RegexProgram: Sendable {
    var instructions: [RegexInstruction] = []
    var sets: [ScalarSet] = []
    var groupCount = 0
    var groupNames: [String?] = []
    /// For the instruction after each consuming one (and the first), the consuming and match
    /// instructions reachable from it without consuming: worked out once here instead of at
    /// every scalar. Nil where an assertion is on the way (its answer depends on the text),
    /// and for large programs.
    var followers: [[Int]?] = []

    /// Programs up to this size get `followers`.
    static let maximumSizeWithFollowers = 1_000

    mutating func computeFollowers() {
        followers = Array(repeating: nil, count: instructions.count)
        guard instructions.count <= Self.maximumSizeWithFollowers else { return }
        for pc in instructions.indices {
            if pc == 0 { followers[pc] = reachableWithoutConsuming(from: pc); continue }
            switch instructions[pc - 1] {
            case .consume, .consumeScalar: followers[pc] = reachableWithoutConsuming(from: pc)
            default: continue
            }
        }
    }

    private func reachableWithoutConsuming(from start: Int) -> [Int]? {
        var found: [Int] = [], stack = [start]
        var seen = Set<Int>()
        while let pc = stack.popLast() {
            guard seen.insert(pc).inserted else { continue }
            switch instructions[pc] {
            case .consume, .consumeScalar, .match: found.append(pc)
            case .jump(let target): stack.append(target)
            case .split(let preferred, let other): stack += [other, preferred]
            case .save: stack.append(pc + 1)
            case .assert: return nil
            }
        }
        return found
    }
}
