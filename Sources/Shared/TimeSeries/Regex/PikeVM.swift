/// Runs a program over a text, all threads in step: after each scalar, the set of program
/// positions still alive, in order of preference. A position reached twice at the same
/// scalar is kept once (the first, preferred arrival), which bounds the work per scalar by
/// the program's size: that is what makes the time linear.
struct PikeVM {
    let program: RegexProgram
    let text: [Unicode.Scalar]

    /// The threads alive at one position in the text, in order of preference, each with its
    /// capture slots: a sparse set, so adding, testing and clearing take constant time.
    private struct ThreadList {
        var pcs: [Int] = []
        var slots: [[Int]] = []
        var indexOf: [Int]

        init(size: Int) {
            indexOf = Array(repeating: -1, count: size)
        }

        func contains(_ pc: Int) -> Bool {
            let index = indexOf[pc]
            return index >= 0 && index < pcs.count && pcs[index] == pc
        }

        mutating func insert(_ pc: Int, slots threadSlots: [Int]) {
            indexOf[pc] = pcs.count
            pcs.append(pc)
            slots.append(threadSlots)
        }

        mutating func removeAll() {
            pcs.removeAll(keepingCapacity: true)
            slots.removeAll(keepingCapacity: true)
        }
    }

    /// What to do next while following branches: explore an instruction, or put a capture
    /// slot back as it was before a `save` on a branch that has been explored.
    private enum Work {
        case explore(Int)
        case restore(slot: Int, value: Int)
    }

    /// Whether the instruction at `pc` consumes `scalar`.
    private func consumes(_ pc: Int, _ scalar: Unicode.Scalar) -> Bool {
        switch program.instructions[pc] {
        case .consumeScalar(let expected): scalar == expected
        case .consume(let set): program.sets[set].contains(scalar)
        default: false
        }
    }

    /// Whether the whole text matches: the simulation `run` makes, without capture slots and
    /// without an order of preference, so a thread is just an instruction number. `added[pc]`
    /// holds the last text position for which `pc` was added, so nothing needs clearing.
    func matchesWholeText() -> Bool {
        var current: [Int] = [], next: [Int] = [], stack: [Int] = []
        var added = Array(repeating: -1, count: program.instructions.count)
        addThreads(from: 0, at: 0, to: &current, added: &added, stack: &stack)
        for position in 0..<text.count {
            let scalar = text[position]
            for pc in current where consumes(pc, scalar) {
                addThreads(from: pc + 1, at: position + 1, to: &next, added: &added, stack: &stack)
            }
            if next.isEmpty { return false }
            swap(&current, &next)
            next.removeAll(keepingCapacity: true)
        }
        return current.contains { pc in
            if case .match = program.instructions[pc] { true } else { false }
        }
    }

    /// `add` without capture slots.
    private func addThreads(from start: Int, at position: Int, to list: inout [Int], added: inout [Int], stack: inout [Int]) {
        if let followers = program.followers[start] {
            for pc in followers where added[pc] != position {
                added[pc] = position
                list.append(pc)
            }
            return
        }
        stack.append(start)
        while let pc = stack.popLast() {
            guard added[pc] != position else { continue }
            added[pc] = position
            switch program.instructions[pc] {
            case .consume, .consumeScalar, .match:
                list.append(pc)
            case .jump(let target):
                stack.append(target)
            case .split(let preferred, let other):
                stack.append(other)
                stack.append(preferred)
            case .save:
                stack.append(pc + 1)
            case .assert(let assertion):
                let previous = position > 0 ? text[position - 1] : nil
                let following = position < text.count ? text[position] : nil
                if assertion.holds(after: previous, before: following) { stack.append(pc + 1) }
            }
        }
    }

    /// The capture slots of the preferred match of the whole text, or nil.
    func preferredMatch() -> [Int]? {
        let size = program.instructions.count
        var current = ThreadList(size: size)
        var next = ThreadList(size: size)
        var work: [Work] = []
        var slots = Array(repeating: -1, count: 2 * (program.groupCount + 1))
        add(0, at: 0, to: &current, slots: &slots, work: &work)
        for position in 0...text.count {
            if current.pcs.isEmpty { return nil }
            let scalar = position < text.count ? text[position] : nil
            for (index, pc) in current.pcs.enumerated() {
                switch program.instructions[pc] {
                case .match:
                    // Only a match at the end of the text counts, and the first one is the preferred one.
                    if scalar == nil { return current.slots[index] }
                case .consume, .consumeScalar:
                    guard let scalar, consumes(pc, scalar) else { continue }
                    slots = current.slots[index]
                    add(pc + 1, at: position + 1, to: &next, slots: &slots, work: &work)
                default:
                    continue
                }
            }
            swap(&current, &next)
            next.removeAll()
        }
        return nil
    }

    /// Adds the thread at `pc` and everything reachable from it without consuming a scalar
    /// (branches, jumps, saves, assertions that hold at `position`), preferred ones first.
    private func add(_ pc: Int, at position: Int, to list: inout ThreadList, slots: inout [Int], work: inout [Work]) {
        let previous = position > 0 ? text[position - 1] : nil
        let following = position < text.count ? text[position] : nil
        work.append(.explore(pc))
        while let item = work.popLast() {
            switch item {
            case .restore(let slot, let value):
                slots[slot] = value
            case .explore(let pc):
                guard !list.contains(pc) else { continue }
                list.insert(pc, slots: [])
                switch program.instructions[pc] {
                case .consume, .consumeScalar, .match:
                    list.slots[list.slots.count - 1] = slots
                case .jump(let target):
                    work.append(.explore(target))
                case .split(let preferred, let other):
                    work.append(.explore(other))
                    work.append(.explore(preferred))
                case .save(let slot):
                    work.append(.restore(slot: slot, value: slots[slot]))
                    slots[slot] = position
                    work.append(.explore(pc + 1))
                case .assert(let assertion):
                    if assertion.holds(after: previous, before: following) { work.append(.explore(pc + 1)) }
                }
            }
        }
    }
}
