import Platform
import WorkbookKit

/// The checks of lesson 11, run against the exercise or the solution.
///
/// The named checks are the cases worth understanding; the generated one compares the
/// exercise with `solutionShouldPage` on thousands of inputs, half of them plain (a usual
/// objective, ratios anywhere from 0 to 1) and half from these edge classes.
///
/// Edge classes generated:
/// - ratios exactly at the threshold, 14.4 × (1 − slo) as Double computes it, and one or a
///   few units in the last place either side of it;
/// - ratios just above the threshold by less than Float can tell (relative 1e-9), by 1e-6,
///   1e-3 and 1 %, and burn rates between 14 and 14.4 (a rounded or integer threshold);
/// - the rule's own constant 14.4 × 0.001, which is not 14.4 × (1 − 0.999) in binary;
/// - objectives that are not exact in binary (0.999, 0.995, 0.9995, 0.99 …) and valid extremes
///   (the smallest positive Double, 0.5, the largest Double below 1);
/// - NaN ratios (a window without requests) in either window or both, 0 and 1;
/// - out-of-range objectives: 0, −0, 1, negative, 99.9 and 100 (percentages), ±infinity, NaN.
public enum AlertsAndSlosChecks {
    /// The signature of `shouldPage`: short-window error ratio, long-window error ratio, SLO.
    public typealias ShouldPage = @Sendable (Double, Double, Double) throws -> Bool

    /// The checks, each a case the 1h/5m page rule must decide right, then the generated one.
    static func checks(_ shouldPage: @escaping ShouldPage) -> [Check] {
        [
            Check("no errors in either window: no page") {
                try expectEqual(try shouldPage(0, 0, 0.999), false, input: "short 0, long 0, slo 0.999")
            },
            Check("both windows at 2 % errors against a 99.9 % SLO (burn rate 20): page") {
                try expectEqual(try shouldPage(0.02, 0.02, 0.999), true, input: "short 0.02, long 0.02, slo 0.999")
            },
            Check("an incident that is over (1h window at 20, 5m window at 0.1): no page") {
                try expectEqual(try shouldPage(0.0001, 0.02, 0.999), false, input: "short 0.0001, long 0.02, slo 0.999")
            },
            Check("a spike that has just begun (5m window at 500, 1h window at 10): no page") {
                try expectEqual(try shouldPage(0.5, 0.01, 0.999), false, input: "short 0.5, long 0.01, slo 0.999")
            },
            Check("a burn rate of exactly 14.4 in both windows is not more than 14.4: no page") {
                let exactly = 14.4 * (1 - 0.999)
                try expectEqual(try shouldPage(exactly, exactly, 0.999), false, input: "short and long 14.4 * (1 - 0.999) = \(exactly), slo 0.999")
            },
            Check("a burn rate of 14.5 in both windows: page") {
                try expectEqual(try shouldPage(0.0145, 0.0145, 0.999), true, input: "short 0.0145, long 0.0145, slo 0.999")
            },
            Check("the budget is 1 − SLO: 2 % errors against a 99 % SLO burn at 2: no page") {
                try expectEqual(try shouldPage(0.02, 0.02, 0.99), false, input: "short 0.02, long 0.02, slo 0.99")
            },
            Check("15 % errors against a 99 % SLO (burn rate 15): page") {
                try expectEqual(try shouldPage(0.15, 0.15, 0.99), true, input: "short 0.15, long 0.15, slo 0.99")
            },
            Check("a window without requests (error ratio NaN) does not page") {
                try expectEqual(try shouldPage(.nan, 0.02, 0.999), false, input: "short nan, long 0.02, slo 0.999")
                try expectEqual(try shouldPage(0.02, .nan, 0.999), false, input: "short 0.02, long nan, slo 0.999")
            },
            Check("an SLO of 1 (no budget), 0, 99.9 (a percentage) or NaN throws InvalidObjective") {
                for slo in [1, 0, 99.9, .nan] {
                    try expectEqual(try thrown { try shouldPage(0.02, 0.02, slo) }, "InvalidObjective(slo: \(slo))", input: "short 0.02, long 0.02, slo \(slo)")
                }
            },
            .generated(
                "agrees with the reference on generated ratios and objectives",
                generate: PageInput.generate, shrink: PageInput.shrink, describe: \.description,
                subject: { input in PageAnswer(try shouldPage(input.short, input.long, input.slo)) },
                reference: PageAnswer.reference,
                same: { expected, found in found.accepted.isSubset(of: expected.accepted) }),
        ]
    }

    /// What `body` threw, as text to compare: "InvalidObjective(slo: 1.0)", another error's
    /// description, or "no error" when it returned. `NotAttemptedYet` passes through.
    private static func thrown(_ body: () throws -> Bool) throws -> String {
        do {
            let answer = try body()
            return "no error (it returned \(answer))"
        } catch is NotAttemptedYet {
            throw NotAttemptedYet()
        } catch let error as InvalidObjective {
            return "InvalidObjective(slo: \(error.slo))"
        } catch {
            return "\(type(of: error)): \(error)"
        }
    }
}

/// One generated question for `shouldPage`.
struct PageInput: Sendable, CustomStringConvertible {
    let short: Double
    let long: Double
    let slo: Double

    /// The input as a call, every number written out in full (`0.014400000000000013`).
    var description: String {
        "shouldPage(shortWindowErrorRatio: \(short), longWindowErrorRatio: \(long), slo: \(slo))"
    }

    /// Objectives a team would write; none but 0.5 is exact in binary.
    static let usualObjectives = [0.999, 0.99, 0.995, 0.9995, 0.9999, 0.95, 0.9, 0.98, 0.5]
    /// Objectives `shouldPage` must refuse.
    static let invalidObjectives: [Double] = [0, -0.0, 1, -0.5, 99.9, 100, 1.000_000_1, .infinity, -.infinity, .nan]
    /// Valid objectives at the edges: budgets of almost 1 and of one unit in the last place.
    static let extremeObjectives: [Double] = [.leastNonzeroMagnitude, 1e-9, (1.0).nextDown, 0.999_999_9]

    static func generate(_ random: inout SeededRandom) -> PageInput {
        let slo: Double
        switch random.next(below: 10) {
        case 0: slo = invalidObjectives[Int(random.next(below: UInt64(invalidObjectives.count)))]
        case 1: slo = extremeObjectives[Int(random.next(below: UInt64(extremeObjectives.count)))]
        default: slo = usualObjectives[Int(random.next(below: UInt64(usualObjectives.count)))]
        }
        let short = ratio(&random, slo: slo)
        // A third of the time both windows say the same, so that both are above the threshold often.
        let long = random.next(below: 3) == 0 ? short : ratio(&random, slo: slo)
        return PageInput(short: short, long: long, slo: slo)
    }

    /// An error ratio: plain half the time, else one of the edge classes; always in 0…1 or NaN.
    private static func ratio(_ random: inout SeededRandom, slo: Double) -> Double {
        let threshold = 14.4 * (1 - slo)
        let value: Double
        switch random.next(below: 20) {
        case 0..<6: value = random.unit()
        case 6..<10: value = pow(10, -6 * random.unit())
        case 10: value = threshold
        case 11: value = random.next(below: 2) == 0 ? threshold.nextUp : threshold.nextDown
        case 12: value = threshold + Double(Int(random.next(below: 9)) - 4) * threshold.ulp
        case 13: value = threshold * (1 + [1e-9, 1e-6, 1e-3, 0.01][Int(random.next(below: 4))])
        case 14: value = (1 - slo) * (14 + 0.4 * random.unit())
        case 15: value = 14.4 * 0.001
        case 16: value = .nan
        case 17: value = 0
        case 18: value = 1
        default: value = (1 - slo) * 30 * random.unit()
        }
        return value.isNaN ? value : min(1, max(0, value))
    }

    /// Simpler inputs: a plainer objective, ratios of 0, 1, the same in both windows, or rounded.
    static func shrink(_ input: PageInput) -> [PageInput] {
        var candidates: [PageInput] = []
        if input.slo != 0.999 { candidates.append(PageInput(short: input.short, long: input.long, slo: 0.999)) }
        for simpler in simplified(input.short) where simpler != input.short {
            candidates.append(PageInput(short: simpler, long: input.long, slo: input.slo))
        }
        for simpler in simplified(input.long) where simpler != input.long {
            candidates.append(PageInput(short: input.short, long: simpler, slo: input.slo))
        }
        if input.long != input.short, !input.short.isNaN {
            candidates.append(PageInput(short: input.short, long: input.short, slo: input.slo))
        }
        return candidates
    }

    /// 0, 1, and `value` to 1, 2 … 6 significant digits.
    private static func simplified(_ value: Double) -> [Double] {
        guard value.isFinite, value != 0 else { return [] }
        let scale = pow(10, -log10(value.magnitude).rounded(.down))
        return [0, 1] + (0..<6).map { digits in
            let factor = scale * pow(10, Double(digits))
            return (value * factor).rounded() / factor
        }.filter { !$0.isNaN && $0 != value }
    }
}

/// What `shouldPage` answered, or, for the reference, every answer accepted.
///
/// Within rounding of the threshold, `ratio / (1 - slo) > 14.4` and `ratio > 14.4 * (1 - slo)`
/// can disagree (14.4 × (1 − 0.999) is 0.014400000000000013, and dividing back may not give
/// 14.4 exactly). Both are what the exercise asks for, so where they differ either answer passes.
struct PageAnswer: Sendable, CustomStringConvertible {
    let accepted: Set<Bool>

    init(_ answer: Bool) {
        accepted = [answer]
    }

    private init(accepting answers: Set<Bool>) {
        accepted = answers
    }

    /// The reference's answers: throws `InvalidObjective` like the solution, and accepts each
    /// window's comparison written either way.
    static func reference(_ input: PageInput) throws -> PageAnswer {
        let divided = try solutionShouldPage(shortWindowErrorRatio: input.short, longWindowErrorRatio: input.long, slo: input.slo)
        let budget = 1 - input.slo
        func multiplied(_ ratio: Double) -> Bool { ratio > 14.4 * budget }
        func dividedBack(_ ratio: Double) -> Bool { ratio / budget > 14.4 }
        var answers: Set<Bool> = [divided]
        for short in [multiplied(input.short), dividedBack(input.short)] {
            for long in [multiplied(input.long), dividedBack(input.long)] { answers.insert(short && long) }
        }
        return PageAnswer(accepting: answers)
    }

    var description: String {
        accepted.count == 1 ? "\(accepted.first!)" : "true or false (a burn rate of 14.4 to within rounding)"
    }
}
