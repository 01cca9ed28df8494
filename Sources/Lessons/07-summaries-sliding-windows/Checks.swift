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
public enum SummariesSlidingWindowsChecks {
    /// Makes an empty window from maxAge, ageBuckets and start.
    public typealias MakeWindow = @Sendable (_ maxAge: Double, _ ageBuckets: Int, _ start: Double) -> any SlidingWindowCounting

    /// The checks, each on a fresh window. Most use 60 seconds in 3 age buckets from 1000,
    /// so periods of 20 seconds begin at 1000, 1020, 1040, 1060 and so on.
    static func checks(_ makeWindow: @escaping MakeWindow) -> [Check] {
        [
            Check("an empty window holds 0 events") {
                var window = makeWindow(60, 3, 1000)
                try expectEqual([try window.count(at: 1000), try window.count(at: 1500)], [0, 0])
            },
            Check("events are counted as soon as they are added") {
                var window = makeWindow(60, 3, 1000)
                try window.add(2, at: 1000)
                try window.add(3, at: 1010)
                try expectEqual(try window.count(at: 1010), 5)
            },
            Check("events stay counted while their period is one of the last three") {
                var window = makeWindow(60, 3, 1000)
                try window.add(2, at: 1005)
                try window.add(3, at: 1025)
                try window.add(4, at: 1045)
                try expectEqual(try window.count(at: 1059), 9)
            },
            Check("the oldest age bucket expires alone, one period at a time (counts at 1059, 1060, 1079, 1080, 1099, 1100)") {
                var window = makeWindow(60, 3, 1000)
                try window.add(2, at: 1005)
                try window.add(3, at: 1025)
                try window.add(4, at: 1045)
                try expectEqual(try counts(&window, at: [1059, 1060, 1079, 1080, 1099, 1100]), [9, 7, 7, 4, 4, 0])
            },
            Check("a time exactly on a boundary starts the new period (events at 1019.5 and 1020; counts at 1059.5, 1060, 1079.5, 1080)") {
                var window = makeWindow(60, 3, 1000)
                try window.add(1, at: 1019.5)
                try window.add(1, at: 1020)
                try expectEqual(try counts(&window, at: [1059.5, 1060, 1079.5, 1080]), [2, 1, 1, 0])
            },
            Check("after a long quiet gap every expired age bucket is emptied (counts at 1300, after adding 5 at 1301, at 1359, 1360)") {
                var window = makeWindow(60, 3, 1000)
                try window.add(1, at: 1005)
                try window.add(1, at: 1025)
                try window.add(1, at: 1045)
                let afterTheGap = try window.count(at: 1300)
                try window.add(5, at: 1301)
                try expectEqual([afterTheGap] + (try counts(&window, at: [1301, 1359, 1360])), [0, 5, 5, 0])
            },
            Check("adding moves the window too (events at 1000, 1030, 1061, 1100; counts at 1061 and 1100)") {
                var window = makeWindow(60, 3, 1000)
                try window.add(1, at: 1000)
                try window.add(1, at: 1030)
                try window.add(1, at: 1061)
                let first = try window.count(at: 1061)
                try window.add(1, at: 1100)
                try expectEqual([first, try window.count(at: 1100)], [2, 2])
            },
            Check("periods are counted from the start, not from the last call (events at 1030 and 1045; counts at 1070, 1080)") {
                var window = makeWindow(60, 3, 1000)
                try window.add(1, at: 1030)
                try window.add(1, at: 1045)
                try expectEqual(try counts(&window, at: [1070, 1080]), [2, 1])
            },
            Check("a summary's default window: 600 seconds in 5 age buckets, one event every 30 s from 0 to 1170") {
                var window = makeWindow(600, 5, 0)
                let readings: [Double] = [600, 719, 720, 1200, 1439, 1440, 1799]
                var found: [Int] = []
                var next = 0.0
                for reading in readings {
                    while next <= reading, next <= 1170 {
                        try window.add(1, at: next)
                        next += 30
                    }
                    found.append(try window.count(at: reading))
                }
                try expectEqual(found, [17, 20, 17, 16, 12, 8, 0])
            },
            Check("with a single age bucket the whole window expires at once (counts at 1059, 1060)") {
                var window = makeWindow(60, 1, 1000)
                try window.add(3, at: 1010)
                try expectEqual(try counts(&window, at: [1059, 1060]), [3, 0])
            },
        ]
    }

    /// Reads the window at each time in turn.
    private static func counts(_ window: inout any SlidingWindowCounting, at times: [Double]) throws -> [Int] {
        var found: [Int] = []
        for time in times {
            found.append(try window.count(at: time))
        }
        return found
    }
}
