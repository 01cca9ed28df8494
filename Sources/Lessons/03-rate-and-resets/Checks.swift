import WorkbookKit

/// The checks of lesson 3, run against the exercise or the solution.
///
/// The named checks teach one rule each; the generated one compares the exercise with the
/// reference on 2,000 lists of samples, half plain counters and half built from the edge
/// classes below. Answers agree when they differ by no more than rounding: a millionth of a
/// millionth of the samples' total, so adding in another order (Prometheus's way, last
/// minus first plus the value before every fall) passes, and a `Float` or an `Int` does not.
///
/// Edge classes generated:
/// - restarts: to 0, to a small value, to just below the value before, to a fraction;
///   several in one list, one as the first or the last step, two in a row;
/// - equal values in a row (not a restart), a counter that never moves, a list of zeros;
/// - fractional values and increments (0.1, 0.25, 1/3: not exact in binary);
/// - large values, up to 10^18, with small fractional steps on top of them;
/// - no samples and a single sample (0, whatever its value), a first sample that is not 0.
public enum RateAndResetsChecks {
    /// The signature of `counterIncrease(_:)`.
    public typealias Increase = @Sendable ([Double]) throws -> Double

    /// The checks, from a counter without restarts to several restarts and fractional values.
    static func checks(_ increase: @escaping Increase) -> [Check] {
        [
            Check("without a restart the increase is the last value minus the first") {
                try expectIncrease(increase, [10, 12, 15, 20], 10)
            },
            Check("a counter that did not move increased by 0") {
                try expectIncrease(increase, [7, 7, 7, 7], 0)
            },
            Check("after a fall the new value counts in full: it was counted from zero") {
                try expectIncrease(increase, [5, 8, 2, 4], 7)
            },
            Check("Prometheus's own example 0 1 2 3 2 3 4 increased by 7") {
                try expectIncrease(increase, [0, 1, 2, 3, 2, 3, 4], 7)
            },
            Check("a restart scraped at 0 adds nothing itself; what follows it does") {
                try expectIncrease(increase, [3, 0, 0, 1], 1)
            },
            Check("two restarts in one window are both counted") {
                try expectIncrease(increase, [100, 120, 10, 30, 5, 6], 56)
            },
            Check("the value before a restart is not counted twice") {
                try expectIncrease(increase, [40, 50, 50, 20], 30)
            },
            Check("fewer than two samples: nothing to compare, so 0") {
                try expectIncrease(increase, [], 0)
                try expectIncrease(increase, [42], 0)
            },
            Check("fractional counters, such as seconds, add up exactly") {
                try expectIncrease(increase, [0.5, 1.25, 0.25, 0.75], 1.5)
            },
            Check.generated(
                "2,000 generated counters match the reference, restarts and fractions included",
                generate: CounterSamples.generate, shrink: CounterSamples.smaller, describe: CounterSamples.describe,
                subject: { samples in CounterSamples.Answer(try increase(samples), samples) },
                reference: { samples in CounterSamples.Answer(try solutionCounterIncrease(samples), samples) },
                same: CounterSamples.Answer.agree),
        ]
    }

    /// Fails unless `increase` answers `expected` for `samples`, naming the call in the failure.
    private static func expectIncrease(_ increase: Increase, _ samples: [Double], _ expected: Double) throws {
        try expectEqual(try increase(samples), expected, input: CounterSamples.describe(samples))
    }
}

/// The counters the generated check draws: values as scraped, oldest first, never negative.
enum CounterSamples {
    /// An answer, and how far another answer may be from it and still agree: rounding only.
    struct Answer: CustomStringConvertible {
        let value: Double
        let tolerance: Double

        init(_ value: Double, _ samples: [Double]) {
            self.value = value
            tolerance = 1e-12 * samples.reduce(0) { $0 + abs($1) }
        }

        var description: String { "\(value)" }

        /// Whether two answers are equal but for rounding.
        static func agree(_ expected: Answer, _ found: Answer) -> Bool {
            abs(expected.value - found.value) <= expected.tolerance
        }
    }

    /// Steps that are not a restart: each adds this much (0 is an unchanged value).
    static let increments: [Double] = [0, 0, 1, 2, 5, 17, 0.1, 0.25, 1.0 / 3, 0.2, 1e-3, 1_000, 123_456.75]
    /// Where an edge-class counter starts.
    static let starts: [Double] = [0, 0, 1, 3, 0.1, 0.5, 42, 1e6 + 0.1, 1e12 + 0.3, 9_007_199_254_740_000, 1e15 + 0.1, 1e18]

    /// Half plain counters (whole steps, no restart), half built from the edge classes.
    static func generate(_ random: inout SeededRandom) -> [Double] {
        if random.next(below: 2) == 0 {
            var value = Double(random.next(below: 100))
            return (0..<(2 + random.next(below: 10))).map { index in
                if index > 0 { value += Double(random.next(below: 20)) }
                return value
            }
        }
        let count = random.next(below: 4) == 0 ? random.next(below: 2) : 2 + random.next(below: 13)
        var value = starts[Int(random.next(below: UInt64(starts.count)))]
        var samples: [Double] = []
        for index in 0..<count {
            if index > 0 {
                switch random.next(below: 10) {
                case 0: value = 0
                case 1: value = (value * random.unit()).rounded(.down)
                case 2: value = max(0, value - 0.1 * Double(1 + random.next(below: 3)))
                case 3: value = value * random.unit()
                default: value += increments[Int(random.next(below: UInt64(increments.count)))]
                }
            }
            samples.append(value)
        }
        return samples
    }

    /// Shorter lists, then simpler values: one sample fewer, a value rounded, halved or made 0.
    static func smaller(_ samples: [Double]) -> [[Double]] {
        var candidates: [[Double]] = samples.indices.map { index in
            var fewer = samples
            fewer.remove(at: index)
            return fewer
        }
        for index in samples.indices {
            for simpler in [0, samples[index].rounded(), (samples[index] / 2).rounded()] where simpler != samples[index] {
                var changed = samples
                changed[index] = simpler
                candidates.append(changed)
            }
        }
        return candidates
    }

    /// The call: `counterIncrease([5.0, 8.0, 2.0, 4.0])`.
    static func describe(_ samples: [Double]) -> String {
        "counterIncrease([" + samples.map { "\($0)" }.joined(separator: ", ") + "])"
    }
}
