import WorkbookKit

/// What the checks need of a sliding-window counter; the exercise and the solution both have it.
public protocol SlidingWindowCounting {
    /// Records `events` events that happened at `time`.
    mutating func add(_ events: Int, at time: Double) throws
    /// The number of events the window holds at `time`.
    mutating func count(at time: Double) throws -> Int
}

extension SolutionSlidingWindowCounter: SlidingWindowCounting {}

/// The checks of lesson 7, run against the exercise or the solution.
///
/// The named checks walk through one window each. The generated check then replays 2,000
/// seeded scripts of `add` and `count` calls on the exercise and on the reference solution
/// and compares every count.
///
/// Edge classes generated:
/// - periods that are not whole seconds and not exact in binary: maxAge 1 in 3 age buckets,
///   maxAge 0.3 or 0.7, maxAge 10 in 3; and exact non-integral ones (2.5, 0.25);
/// - times exactly on a period boundary (start + k × period), and one ulp before and after;
/// - a start that is not a whole number, not exact in binary, or negative;
/// - long quiet gaps of many periods (up to 10,000), gaps of exactly ageBuckets periods;
/// - a single age bucket; up to 6;
/// - many events at one time, `add` of 0 events, `count` twice at the same time;
/// - windows moved by `add` alone, with no `count` in between.
public enum SummariesSlidingWindowsChecks {
    /// Makes an empty window from maxAge, ageBuckets and start.
    public typealias MakeWindow = @Sendable (_ maxAge: Double, _ ageBuckets: Int, _ start: Double) -> any SlidingWindowCounting

    /// The checks, each on a fresh window. Most use 60 seconds in 3 age buckets from 1000,
    /// so periods of 20 seconds begin at 1000, 1020, 1040, 1060 and so on.
    static func checks(_ makeWindow: @escaping MakeWindow) -> [Check] {
        [
            Check("an empty window holds 0 events") {
                try expect(makeWindow, 60, 3, 1000, [.count(at: 1000), .count(at: 1500)], [0, 0])
            },
            Check("events are counted as soon as they are added") {
                try expect(makeWindow, 60, 3, 1000, [.add(2, at: 1000), .add(3, at: 1010), .count(at: 1010)], [5])
            },
            Check("events stay counted while their period is one of the last three") {
                try expect(makeWindow, 60, 3, 1000, [.add(2, at: 1005), .add(3, at: 1025), .add(4, at: 1045), .count(at: 1059)], [9])
            },
            Check("the oldest age bucket expires alone, one period at a time (counts at 1059, 1060, 1079, 1080, 1099, 1100)") {
                try expect(makeWindow, 60, 3, 1000, [.add(2, at: 1005), .add(3, at: 1025), .add(4, at: 1045)]
                    + [1059, 1060, 1079, 1080, 1099, 1100].map { .count(at: $0) }, [9, 7, 7, 4, 4, 0])
            },
            Check("a time exactly on a boundary starts the new period (events at 1019.5 and 1020; counts at 1059.5, 1060, 1079.5, 1080)") {
                try expect(makeWindow, 60, 3, 1000, [.add(1, at: 1019.5), .add(1, at: 1020)]
                    + [1059.5, 1060, 1079.5, 1080].map { .count(at: $0) }, [2, 1, 1, 0])
            },
            Check("after a long quiet gap every expired age bucket is emptied (counts at 1300, after adding 5 at 1301, at 1359, 1360)") {
                try expect(makeWindow, 60, 3, 1000, [.add(1, at: 1005), .add(1, at: 1025), .add(1, at: 1045), .count(at: 1300), .add(5, at: 1301)]
                    + [1301, 1359, 1360].map { .count(at: $0) }, [0, 5, 5, 0])
            },
            Check("adding moves the window too (events at 1000, 1030, 1061, 1100; counts at 1061 and 1100)") {
                try expect(makeWindow, 60, 3, 1000, [.add(1, at: 1000), .add(1, at: 1030), .add(1, at: 1061), .count(at: 1061), .add(1, at: 1100), .count(at: 1100)], [2, 2])
            },
            Check("periods are counted from the start, not from the last call (events at 1030 and 1045; counts at 1070, 1080)") {
                try expect(makeWindow, 60, 3, 1000, [.add(1, at: 1030), .add(1, at: 1045), .count(at: 1070), .count(at: 1080)], [2, 1])
            },
            Check("a summary's default window: 600 seconds in 5 age buckets, one event every 30 s from 0 to 1170") {
                var calls: [WindowScript.Call] = []
                var next = 0.0
                for reading: Double in [600, 719, 720, 1200, 1439, 1440, 1799] {
                    while next <= reading, next <= 1170 {
                        calls.append(.add(1, at: next))
                        next += 30
                    }
                    calls.append(.count(at: reading))
                }
                try expect(makeWindow, 600, 5, 0, calls, [17, 20, 17, 16, 12, 8, 0])
            },
            Check("with a single age bucket the whole window expires at once (counts at 1059, 1060)") {
                try expect(makeWindow, 60, 1, 1000, [.add(3, at: 1010), .count(at: 1059), .count(at: 1060)], [3, 0])
            },
            Check("periods that are not whole seconds: maxAge 1 in 4 age buckets from 10 (events at 10, 10.5; counts at 10.7, 10.75, 11, 11.49, 11.5)") {
                try expect(makeWindow, 1, 4, 10, [.add(1, at: 10), .add(2, at: 10.5)]
                    + [10.7, 10.75, 11, 11.49, 11.5].map { .count(at: $0) }, [3, 3, 2, 2, 0])
            },
            Check.generated(
                "agrees with the reference on 2,000 generated scripts of add and count (edge cases included)",
                generate: WindowScript.generate, shrink: WindowScript.shrink, describe: { $0.description },
                subject: { try $0.run(makeWindow) },
                reference: { try $0.run { SolutionSlidingWindowCounter(maxAge: $0, ageBuckets: $1, start: $2) } }
            ),
        ]
    }

    /// Runs `calls` on a new window and fails, naming the window and the calls, unless its
    /// counts are `expected`, one per `count` call.
    private static func expect(
        _ makeWindow: MakeWindow, _ maxAge: Double, _ ageBuckets: Int, _ start: Double,
        _ calls: [WindowScript.Call], _ expected: [Int]
    ) throws {
        let script = WindowScript(maxAge: maxAge, ageBuckets: ageBuckets, start: start, calls: calls)
        let times = calls.compactMap { call -> Double? in if case .count(let time) = call { time } else { nil } }
        let wanted = WindowScript.Counts(readings: zip(times, expected).map { WindowScript.reading(at: $0, $1) })
        try expectEqual(try script.run(makeWindow), wanted, input: script.description)
    }
}

/// One generated script: a window's parameters and the calls made on it, times never going back.
struct WindowScript: Sendable, CustomStringConvertible {
    /// One call on the window.
    enum Call: Sendable {
        case add(Int, at: Double)
        case count(at: Double)

        var time: Double {
            switch self {
            case .add(_, let time), .count(let time): time
            }
        }
    }

    let maxAge: Double
    let ageBuckets: Int
    let start: Double
    let calls: [Call]

    /// What the counts of a script were, each next to its call.
    struct Counts: Equatable, Sendable, CustomStringConvertible {
        let readings: [String]
        var description: String { readings.isEmpty ? "no counts" : readings.joined(separator: ", ") }
    }

    /// Makes a window and makes every call on it; the counts, each as `count(at: t) = n`.
    func run(_ makeWindow: SummariesSlidingWindowsChecks.MakeWindow) throws -> Counts {
        var window = makeWindow(maxAge, ageBuckets, start)
        var readings: [String] = []
        for call in calls {
            switch call {
            case .add(let events, let time): try window.add(events, at: time)
            case .count(let time): readings.append(Self.reading(at: time, try window.count(at: time)))
            }
        }
        return Counts(readings: readings)
    }

    /// One count as a failure shows it.
    static func reading(at time: Double, _ count: Int) -> String {
        "count(at: \(number(time))) = \(count)"
    }

    var description: String {
        "SlidingWindowCounter(maxAge: \(Self.number(maxAge)), ageBuckets: \(ageBuckets), start: \(Self.number(start))) (period "
            + Self.number(maxAge / Double(ageBuckets)) + "), then " + calls.map { call in
                switch call {
                case .add(let events, let time): "add(\(events), at: \(Self.number(time)))"
                case .count(let time): "count(at: \(Self.number(time)))"
                }
            }.joined(separator: ", ")
    }

    /// A number as Swift prints it: every digit that tells it apart from its neighbours.
    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    private static let windows: [(maxAge: Double, ageBuckets: Int)] = [
        (60, 3), (600, 5), (1, 3), (0.3, 2), (0.7, 4), (10, 3), (10, 4), (1, 4), (60, 1), (0.1, 1), (5, 6), (2.5, 1),
    ]
    private static let starts: [Double] = [1000, 0, 10.1, 0.3, -50, 1_700_000_000.25]

    /// Half plain scripts (calls a few seconds apart), half with edge-class times.
    @Sendable static func generate(_ random: inout SeededRandom) -> WindowScript {
        let (maxAge, ageBuckets) = windows[Int(random.next(below: UInt64(windows.count)))]
        let start = starts[Int(random.next(below: UInt64(starts.count)))]
        let period = maxAge / Double(ageBuckets)
        let edgy = random.next(below: 2) == 0
        var time = start + (edgy ? 0 : random.unit() * period)
        var calls: [Call] = []
        for _ in 0..<(1 + random.next(below: 16)) {
            if edgy {
                // The next boundary, exactly as start + k × period, or just beside it; a long gap; or the same time.
                let periodNumber = ((time - start) / period).rounded(.down)
                switch random.next(below: 8) {
                case 0, 1: time = max(time, start + (periodNumber + 1) * period)
                case 2: time = max(time, (start + (periodNumber + 1) * period).nextDown)
                case 3: time = max(time, (start + (periodNumber + 1) * period).nextUp)
                case 4: time = max(time, start + (periodNumber + Double(ageBuckets)) * period)
                case 5: time = max(time, start + (periodNumber + Double(1 + random.next(below: random.next(below: 4) == 0 ? 10_000 : 40))) * period)
                case 6: break
                default: time += random.unit() * period
                }
            } else {
                time += random.exponential() * period / 2
            }
            if random.next(below: 2) == 0 {
                calls.append(.add(edgy && random.next(below: 6) == 0 ? 0 : 1 + Int(random.next(below: edgy ? 1000 : 5)), at: time))
            } else {
                calls.append(.count(at: time))
            }
        }
        calls.append(.count(at: time))
        return WindowScript(maxAge: maxAge, ageBuckets: ageBuckets, start: start, calls: calls)
    }

    /// Shorter scripts: one call fewer (the times stay in order), or fewer events in an add.
    @Sendable static func shrink(_ script: WindowScript) -> [WindowScript] {
        var smaller: [WindowScript] = []
        for index in script.calls.indices {
            var calls = script.calls
            calls.remove(at: index)
            smaller.append(WindowScript(maxAge: script.maxAge, ageBuckets: script.ageBuckets, start: script.start, calls: calls))
        }
        for (index, call) in script.calls.enumerated() {
            guard case .add(let events, let time) = call, events > 1 else { continue }
            var calls = script.calls
            calls[index] = .add(1, at: time)
            smaller.append(WindowScript(maxAge: script.maxAge, ageBuckets: script.ageBuckets, start: script.start, calls: calls))
        }
        return smaller
    }
}
