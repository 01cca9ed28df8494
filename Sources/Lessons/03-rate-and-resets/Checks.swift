import WorkbookKit

/// The checks of lesson 3, run against the exercise or the solution.
public enum RateAndResetsChecks {
    /// The signature of `counterIncrease(_:)`.
    public typealias Increase = @Sendable ([Double]) throws -> Double

    /// The checks, from a counter without restarts to several restarts and fractional values.
    static func checks(_ increase: @escaping Increase) -> [Check] {
        [
            Check("without a restart the increase is the last value minus the first") {
                try expectEqual(try increase([10, 12, 15, 20]), 10)
            },
            Check("a counter that did not move increased by 0") {
                try expectEqual(try increase([7, 7, 7, 7]), 0)
            },
            Check("after a fall the new value counts in full: it was counted from zero") {
                try expectEqual(try increase([5, 8, 2, 4]), 7)
            },
            Check("Prometheus's own example 0 1 2 3 2 3 4 increased by 7") {
                try expectEqual(try increase([0, 1, 2, 3, 2, 3, 4]), 7)
            },
            Check("a restart scraped at 0 adds nothing itself; what follows it does") {
                try expectEqual(try increase([3, 0, 0, 1]), 1)
            },
            Check("two restarts in one window are both counted") {
                try expectEqual(try increase([100, 120, 10, 30, 5, 6]), 56)
            },
            Check("the value before a restart is not counted twice") {
                try expectEqual(try increase([40, 50, 50, 20]), 30)
            },
            Check("fewer than two samples: nothing to compare, so 0") {
                try expectEqual(try increase([]), 0)
                try expectEqual(try increase([42]), 0)
            },
            Check("fractional counters, such as seconds, add up exactly") {
                try expectEqual(try increase([0.5, 1.25, 0.25, 0.75]), 1.5)
            },
        ]
    }
}
