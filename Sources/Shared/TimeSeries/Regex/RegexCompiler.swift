/// Turns a tree into a program, as Go's `regexp/syntax` compiler does: counted repetition is
/// written out (`x{2,4}` is `xx(x(x)?)?`), and `x*` of an `x` that can match empty is
/// `(x+)?`, which keeps Go's order of preference.
struct RegexCompiler {
    private var program = RegexProgram()
    private let pattern: String

    /// Go refuses programs that large; repetition multiplies a pattern's size.
    static let maximumInstructions = 500_000

    private init(pattern: String) {
        self.pattern = pattern
    }

    static func compile(_ tree: RegexNode, groupCount: Int, groupNames: [String?], pattern: String) throws -> RegexProgram {
        var compiler = RegexCompiler(pattern: pattern)
        // Group 0 is the whole text, since the match is anchored at both ends: no need to save it.
        try compiler.emit(tree)
        compiler.append(.match)
        compiler.program.groupCount = groupCount
        compiler.program.groupNames = groupNames
        compiler.program.computeFollowers()
        return compiler.program
    }

    @discardableResult
    private mutating func append(_ instruction: RegexInstruction) -> Int {
        program.instructions.append(instruction)
        return program.instructions.count - 1
    }

    private var next: Int { program.instructions.count }

    private mutating func emit(_ node: RegexNode) throws {
        guard next < Self.maximumInstructions else {
            throw InvalidRegularExpression(pattern: pattern, reason: "expression too large")
        }
        switch node {
        case .empty:
            break
        case .scalars(let set):
            if set.ranges.count == 1, set.ranges[0].count == 1, let scalar = Unicode.Scalar(set.ranges[0].lowerBound) {
                append(.consumeScalar(scalar))
            } else {
                program.sets.append(set)
                append(.consume(set: program.sets.count - 1))
            }
        case .assertion(let assertion):
            append(.assert(assertion))
        case .capture(let index, let inner):
            append(.save(slot: 2 * index))
            try emit(inner)
            append(.save(slot: 2 * index + 1))
        case .concatenation(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            var exits: [Int] = []
            for branch in branches.dropLast() {
                let split = append(.split(preferred: next + 1, other: -1))
                try emit(branch)
                exits.append(append(.jump(-1)))
                program.instructions[split] = .split(preferred: split + 1, other: next)
            }
            try emit(branches[branches.count - 1])
            for exit in exits { program.instructions[exit] = .jump(next) }
        case .repetition(let inner, let min, let max, let greedy):
            try emitRepetition(inner, min: min, max: max, greedy: greedy)
        }
    }

    private mutating func emitRepetition(_ inner: RegexNode, min: Int, max: Int?, greedy: Bool) throws {
        guard let max else {
            // x{n,} is n-1 copies of x, then x+; x{0,} is x*.
            guard min > 0 else { return try emitStar(inner, greedy: greedy) }
            for _ in 1..<min { try emit(inner) }
            return try emitPlus(inner, greedy: greedy)
        }
        for _ in 0..<min { try emit(inner) }
        // x{n,m}: then m-n nested optional copies, (x(x)?)?, so each later copy needs the one before.
        var exits: [Int] = []
        for _ in min..<max {
            exits.append(append(.split(preferred: -1, other: -1)))
            try emit(inner)
        }
        for split in exits {
            program.instructions[split] = greedy ? .split(preferred: split + 1, other: next) : .split(preferred: next, other: split + 1)
        }
    }

    /// x+: x, then a branch back to it.
    private mutating func emitPlus(_ inner: RegexNode, greedy: Bool) throws {
        let start = next
        try emit(inner)
        let split = next
        append(greedy ? .split(preferred: start, other: split + 1) : .split(preferred: split + 1, other: start))
    }

    /// x*: a branch into x or past it, and from the end of x back to the branch.
    private mutating func emitStar(_ inner: RegexNode, greedy: Bool) throws {
        if inner.isNullable {
            // (x+)?: looping straight back would let an empty x end the loop too early (Go issue 46123).
            let split = append(.split(preferred: -1, other: -1))
            try emitPlus(inner, greedy: greedy)
            program.instructions[split] = greedy ? .split(preferred: split + 1, other: next) : .split(preferred: next, other: split + 1)
            return
        }
        let split = append(.split(preferred: -1, other: -1))
        try emit(inner)
        append(.jump(split))
        program.instructions[split] = greedy ? .split(preferred: split + 1, other: next) : .split(preferred: next, other: split + 1)
    }
}

// MARK: - The Pike VM
