import Instrumentation
import TimeSeries
import PromQL
import WorkbookKit

/// The checks of lesson 8, run against the exercise or the solution.
///
/// The named checks compare scores rounded to 9 decimal places, the generated one within a
/// relative error of 1e-9: the same formula written in another order can differ in the last
/// bits, a wrong formula differs by far more.
///
/// Edge classes generated:
/// - odd numbers of tolerating requests (integer halving loses the half), odd totals;
/// - T not exact in binary (0.1, 0.3, 0.7, 1.1) and 4T found by multiplying by 4;
/// - T next to a bound but not on it (one ulp off, `Double(Float(T))`, T × (1 + 1e-9)):
///   a value between Float and Double precision;
/// - T missing from the bounds, 4T missing, both missing, with and without requests
///   (the order of the checks);
/// - a target of zero, negative or NaN, also when the bounds hold it (and its 4T);
/// - no requests at all; only satisfied, only tolerating, only frustrated requests;
/// - T = 4T's neighbours: T as the first bound, 4T as the last;
/// - counts up to about 2^50.
public enum ApdexChecks {
    /// The signature of `apdex`: bounds, cumulative counts (the last is +Inf) and T in, the score out.
    public typealias Apdex = @Sendable ([Double], [UInt64], Double) throws -> Double

    /// The bounds most checks use: T = 0.3 s and 4T = 1.2 s are among them.
    private static let bounds: [Double] = [0.1, 0.3, 0.6, 1.2, 2.5]

    /// Every check of the lesson, bound to one implementation of `apdex`.
    static func checks(_ apdex: @escaping Apdex) -> [Check] {
        [
            Check("every request within T scores 1") {
                try expectScore(apdex, bounds, [7, 10, 10, 10, 10, 10], 0.3, "1")
            },
            Check("every request slower than 4T scores 0: frustrated requests count nothing") {
                try expectScore(apdex, bounds, [0, 0, 0, 0, 4, 10], 0.3, "0")
            },
            Check("a tolerating request counts half: all of them between T and 4T scores 0.5") {
                try expectScore(apdex, bounds, [0, 0, 6, 10, 10, 10], 0.3, "0.5")
            },
            Check("60 satisfied, 30 tolerating and 10 frustrated score (60 + 30/2) / 100 = 0.75") {
                try expectScore(apdex, bounds, [40, 60, 80, 90, 95, 100], 0.3, "0.75")
            },
            Check("T and 4T are found wherever they are: T = 0.25 s with Buckets.defaults gives 0.65 (to 9 decimals)") {
                try expectScore(apdex, Buckets.defaults, [1, 2, 5, 10, 30, 50, 70, 80, 90, 95, 98, 100], 0.25, "0.65")
            },
            Check("no requests give NaN") {
                try expectScore(apdex, bounds, [0, 0, 0, 0, 0, 0], 0.3, "NaN")
            },
            Check("a T that is not a bucket bound throws ApdexThresholdError for T") {
                try expectThresholdError(apdex, bounds: bounds, target: 0.2, missing: 0.2)
            },
            Check("a 4T that is not a bucket bound throws ApdexThresholdError for 4T") {
                try expectThresholdError(apdex, bounds: [0.1, 0.3, 0.6, 2.5], target: 0.3, missing: 1.2)
            },
            Check("a target that is not positive throws ApdexThresholdError, even when it is a bound") {
                try expectThresholdError(apdex, bounds: [-1, 0, 0.5, 2], target: 0, missing: 0)
                try expectThresholdError(apdex, bounds: [-2, -0.5, 0, 1], target: -0.5, missing: -0.5)
                try expectThresholdError(apdex, bounds: bounds, target: .nan, missing: .nan)
            },
            Check("the thresholds are checked before the requests: no requests and a missing 4T throw for 4T") {
                try expectThresholdError(apdex, bounds: [0.1, 0.3, 0.6, 2.5], target: 0.3, missing: 1.2, counts: [0, 0, 0, 0, 0])
            },
            Check("an odd number of tolerating requests still counts half each: 3 of 4 tolerating score 0.375") {
                try expectScore(apdex, bounds, [0, 0, 2, 3, 4, 4], 0.3, "0.375")
            },
            Check("agrees with the Apdex query of the Prometheus docs on 3,000 seeded requests (to 9 decimals)") {
                let (counts, promQL) = try seededRequestsAndTheirPromQLScore()
                try expectScore(apdex, ApdexDemo.bounds, counts, 0.3, shown(promQL))
            },
            Check.generated(
                "agrees with the reference on 2,000 generated histograms and targets (within a relative 1e-9)",
                generate: ApdexInput.generate, shrink: ApdexInput.shrink, describe: { $0.description },
                subject: { input in try ApdexAnswer { try apdex(input.upperBounds, input.cumulativeCounts, input.target) } },
                reference: { input in
                    try ApdexAnswer { try solutionApdex(upperBounds: input.upperBounds, cumulativeCounts: input.cumulativeCounts, target: input.target) }
                }
            ),
        ]
    }

    /// Fails, naming the input, unless `apdex` gives `expected` to 9 decimal places.
    private static func expectScore(_ apdex: Apdex, _ bounds: [Double], _ counts: [UInt64], _ target: Double, _ expected: String) throws {
        let input = ApdexInput(upperBounds: bounds, cumulativeCounts: counts, target: target).description
        let found: String
        do {
            found = shown(try apdex(bounds, counts, target))
        } catch let error as ApdexThresholdError {
            throw CheckFailure(expected: "the score \(expected)", found: "ApdexThresholdError: \(error)", input: input)
        }
        guard found != expected else { return }
        throw CheckFailure(expected: expected, found: found, input: input)
    }

    /// Passes when `apdex` throws an `ApdexThresholdError` naming `missing`; fails on a score or another error.
    private static func expectThresholdError(
        _ apdex: Apdex, bounds: [Double], target: Double, missing: Double, counts: [UInt64]? = nil
    ) throws {
        let counts = counts ?? [UInt64](repeating: 10, count: bounds.count + 1)
        let expected = ApdexThresholdError(threshold: missing, upperBounds: bounds)
        let input = ApdexInput(upperBounds: bounds, cumulativeCounts: counts, target: target).description
        do {
            let score = try apdex(bounds, counts, target)
            throw CheckFailure(expected: "ApdexThresholdError: \(expected)", found: "the score \(shown(score))", input: input)
        } catch let error as ApdexThresholdError {
            guard error != expected else { return }
            throw CheckFailure(expected: "ApdexThresholdError: \(expected)", found: "ApdexThresholdError: \(error)", input: input)
        }
    }

    /// A value as the checks compare it: rounded to 9 decimal places, written as an exposition writes it.
    private static func shown(_ value: Double) -> String {
        guard value.isFinite else { return formatSampleValue(value, for: .prometheus) }
        return formatSampleValue((value * 1e9).rounded() / 1e9, for: .prometheus)
    }

    /// Four minutes of seeded requests, scraped at their start and end: the buckets they added,
    /// and the score the docs' query computes from the two scrapes. Both scrapes lie inside the
    /// query's five-minute range, whether the range includes its left end (Prometheus 2) or not (3).
    private static func seededRequestsAndTheirPromQLScore() throws -> ([UInt64], Double) {
        let registry = Registry(clock: ManualClock(1_700_000_000))
        let histogram = try ApdexDemo.latencyHistogram(in: registry)
        let store = SeriesStore()
        let start: Int64 = 1_700_000_000_000, end = start + 240_000
        store.ingest(registry.collect(), at: start, labels: ["job": "check", "instance": "check:8080"])
        var random = SeededRandom(seed: 8)
        for index in 0..<3000 { histogram.observe(ApdexDemo.latency(slow: index % 3 == 0, &random)) }
        store.ingest(registry.collect(), at: end, labels: ["job": "check", "instance": "check:8080"])
        guard case .vector(let answer) = try PromQLEngine(store: store).evaluate(ApdexDemo.docsQuery, at: end), let score = answer.first?.value else {
            throw CheckFailure(expected: "one score from \(ApdexDemo.docsQuery)", found: "none")
        }
        return (histogram.snapshot.cumulativeCounts, score)
    }
}

/// What `apdex` answered: a score, or an `ApdexThresholdError` for a threshold. Scores agree
/// within a relative error of 1e-9 (NaN agrees with NaN); errors when they name the same threshold.
enum ApdexAnswer: Equatable, Sendable, CustomStringConvertible {
    case score(Double)
    case thresholdError(ApdexThresholdError)

    init(_ body: () throws -> Double) throws {
        do {
            self = .score(try body())
        } catch let error as ApdexThresholdError {
            self = .thresholdError(error)
        }
    }

    static func == (left: Self, right: Self) -> Bool {
        switch (left, right) {
        case (.score(let one), .score(let other)):
            if one.isNaN || other.isNaN { return one.isNaN && other.isNaN }
            return one == other || abs(one - other) <= 1e-9 * max(abs(one), abs(other))
        case (.thresholdError(let one), .thresholdError(let other)):
            return one == other
        default:
            return false
        }
    }

    var description: String {
        switch self {
        case .score(let score): "the score \(formatSampleValue(score, for: .prometheus))"
        case .thresholdError(let error): "ApdexThresholdError(threshold: \(formatSampleValue(error.threshold, for: .prometheus))): \(error)"
        }
    }
}

/// One generated input of `apdex`.
struct ApdexInput: Sendable, CustomStringConvertible {
    let upperBounds: [Double]
    let cumulativeCounts: [UInt64]
    let target: Double

    var description: String {
        "upperBounds: [" + upperBounds.map { formatSampleValue($0, for: .prometheus) }.joined(separator: ", ")
            + "], cumulativeCounts: " + shown(cumulativeCounts) + ", target: " + formatSampleValue(target, for: .prometheus)
    }

    /// Targets a learner meets, most of them not exact in binary.
    private static let targets: [Double] = [0.3, 0.1, 0.25, 0.5, 0.05, 0.7, 1.1, 0.15, 2, 0.02]

    /// Half plain inputs (T and 4T among the bounds, requests in every group), half edge classes.
    @Sendable static func generate(_ random: inout SeededRandom) -> ApdexInput {
        var target = targets[Int(random.next(below: UInt64(targets.count)))]
        var bounds = Set([target, 4 * target])
        for _ in 0..<random.next(below: 6) { bounds.insert(target * [0.5, 2, 3, 8, 10, 0.2][Int(random.next(below: 6))]) }
        let edgy = random.next(below: 2) == 0
        if edgy {
            switch random.next(below: 10) {
            case 0: bounds.remove(target)
            case 1: bounds.remove(4 * target)
            case 2: bounds.remove(target); bounds.remove(4 * target)
            case 3: target = [target.nextUp, target.nextDown, Double(Float(target)), target * (1 + 1e-9)][Int(random.next(below: 4))]
            case 4:
                target = [0, -0.0, -0.25, .nan][Int(random.next(below: 4))]
                if target.isFinite { bounds.formUnion([target, 4 * target]) }
            case 5: bounds = bounds.filter { $0 >= target }
            case 6: bounds = bounds.filter { $0 <= 4 * target }
            default: break
            }
        }
        let sorted = bounds.sorted()
        return ApdexInput(upperBounds: sorted, cumulativeCounts: counts(for: sorted.count + 1, edgy: edgy, &random), target: target)
    }

    /// Cumulative counts; odd differences on purpose, sometimes none at all or very large.
    private static func counts(for buckets: Int, edgy: Bool, _ random: inout SeededRandom) -> [UInt64] {
        if edgy, random.next(below: 5) == 0 { return Array(repeating: 0, count: buckets) }
        let scale: UInt64 = edgy && random.next(below: 6) == 0 ? 1 << 40 : 1
        var running: UInt64 = 0
        return (0..<buckets).map { _ in
            if random.next(below: 4) != 0 { running += (2 * random.next(below: 40) + random.next(below: 2)) * scale + random.next(below: 2) }
            return running
        }
    }

    /// Smaller inputs: a bucket fewer (not T's or 4T's), smaller counts.
    @Sendable static func shrink(_ input: ApdexInput) -> [ApdexInput] {
        var smaller: [ApdexInput] = []
        for index in input.upperBounds.indices where input.upperBounds[index] != input.target && input.upperBounds[index] != 4 * input.target {
            var bounds = input.upperBounds, counts = input.cumulativeCounts
            bounds.remove(at: index)
            counts.remove(at: index)
            smaller.append(ApdexInput(upperBounds: bounds, cumulativeCounts: counts, target: input.target))
        }
        if let largest = input.cumulativeCounts.last, largest > 100 {
            smaller.append(ApdexInput(upperBounds: input.upperBounds, cumulativeCounts: input.cumulativeCounts.map { $0 / 2 }, target: input.target))
        }
        return smaller
    }
}
