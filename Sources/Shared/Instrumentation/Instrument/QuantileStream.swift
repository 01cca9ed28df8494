import Platform

/// A quantile a summary reports, with the rank error it may be off by.
///
/// The error is absolute and in units of the observation count: quantile 0.9 with error
/// 0.01 means the reported value's rank lies between 0.89·n and 0.91·n, where n is the
/// number of observations the estimate covers. Smaller errors cost memory and time, so
/// tails usually get tighter errors than the median (0.5/0.05, 0.9/0.01, 0.99/0.001).
public struct SummaryObjective: Sendable, Hashable {
    /// The quantile φ to report: 0.5 is the median, 0.99 the 99th percentile.
    public let quantile: Double
    /// The allowed rank error ε, as a fraction of the observation count.
    public let error: Double

    /// Creates an objective; summaries validate the values when they are configured.
    public init(quantile: Double, error: Double) {
        self.quantile = quantile
        self.error = error
    }
}

/// A streaming estimator of a fixed set of quantiles, each kept within its own rank error.
///
/// Keeping every observation to sort it later grows without bound, so this is the
/// targeted-quantiles summary of Cormode, Korn, Muthukrishnan and Srivastava ("Effective
/// Computation of Biased Quantiles over Data Streams", ICDE 2005), the algorithm behind
/// Prometheus client summaries. It keeps a list of tuples (v, g, Δ) sorted by value: v is
/// an observed value, and with r the sum of g over the tuples before it, v's rank among
/// the n observations is known to lie in [r + g, r + g + Δ]. The smallest and largest
/// observations are always kept, with their exact ranks.
///
/// Invariant: every tuple has g + Δ = 1 or g + Δ ≤ f(r, n), where f is the minimum over
/// the objectives (φ, ε) with 0 < φ < 1 of
/// - c·(n − r) when r < φn, with c = 2ε / (1 − φ + ε),
/// - a·r when r ≥ φn, with a = c·(1 − φ) / φ.
/// The two pieces meet at r = φn (aφ = c(1 − φ)), and a tuple's r grows by at most as much
/// as n, so f never shrinks for a tuple as observations arrive: a tuple that satisfies the
/// invariant keeps satisfying it. Compression merges a tuple into its successor only when
/// the merged tuple satisfies it too.
///
/// Proven bound: for each objective (φ, ε), whenever [(φ − ε)n, (φ + ε)n] contains a rank,
/// some tuple's whole rank interval lies inside it. Take the first tuple whose upper bound
/// r + g + Δ exceeds (φ + ε)n; if there is none, the exact maximum qualifies. The tuple
/// before it has ranks in [r, (φ + ε)n], and r is high enough: if g + Δ = 1, the rank r + 1
/// lies above the range, so r is at least any rank in it; if r < φn, the invariant gives
/// r + c(n − r) > (φ + ε)n, which rearranges to r > (φ − ε)n because c(1 − φ + ε) = 2ε.
/// A query returns the value whose rank interval strays least far from φn, so for an
/// objective's quantile the reported rank is within εn of φn.
///
/// The paper's slopes are 2ε/(1 − φ) and 2ε/φ, and its query stops before the first tuple
/// whose upper bound exceeds φn + f(φn, n)/2. With those, the same argument bounds the
/// error below the target only by ε / (1 − 2ε/(1 − φ)), which is 1.25·ε for the usual
/// objectives, and not at all once ε ≥ (1 − φ)/2: a lone objective 0.9 with error 0.05 lets
/// the summary collapse to its minimum and maximum, and the query then reports the minimum.
/// The slopes here are about 9 % smaller for the usual objectives. Space has no proven
/// bound here, as compression is a single greedy pass; with the usual objectives about 40
/// tuples remain after 10⁵ or 10⁶ uniform, exponential or sorted observations.
///
/// Quantiles 0 and 1 need no tuples of their own: they are answered by the exact minimum
/// and maximum, so such objectives are left out of f. NaN has no rank and is ignored.
/// Observations are buffered and merged in sorted batches, so the cost per observation is
/// a buffer append plus a share of one sort and one linear merge and compression pass.
/// Not thread-safe: the owner serialises access.
struct QuantileStream {
    /// One summary entry: an observed value and what is known about its rank.
    private struct Tuple {
        /// The observed value.
        var value: Double
        /// How many observations this tuple stands for: its own and those merged into it.
        var g: Int
        /// How far the value's rank may lie above its lower bound.
        var delta: Int
    }

    /// One objective turned into the two slopes of its term of the invariant.
    private struct Target {
        /// The quantile φ; ranks below φn use `below`, ranks at or above it use `above`.
        let quantile: Double
        /// The slope c multiplying n − r below the target rank.
        let below: Double
        /// The slope a multiplying r at and above the target rank.
        let above: Double
    }

    /// Observations collected before one merge; large enough to amortise the merge pass.
    static let batchSize = 500

    /// The objectives that shape the invariant; quantiles 0 and 1 are left out.
    private let targets: [Target]
    /// The summary, sorted by value; its first and last tuples are the exact extremes.
    private var tuples: [Tuple] = []
    /// How many observations the tuples stand for.
    private var merged = 0

    /// Creates an empty stream that keeps each objective's quantile within its error.
    init(objectives: [SummaryObjective]) {
        targets = objectives.compactMap { objective in
            let phi = objective.quantile
            precondition(phi >= 0 && phi <= 1, "quantile \(phi) is outside 0...1")
            guard phi > 0, phi < 1 else { return nil }
            let epsilon = objective.error
            precondition(epsilon > 0 && epsilon.isFinite, "error \(epsilon) for quantile \(phi) must be positive and finite")
            let below = 2 * epsilon / (1 - phi + epsilon)
            return Target(quantile: phi, below: below, above: below * (1 - phi) / phi)
        }
    }

    /// The number of observations held.
    var count: Int { merged }

    /// The number of tuples kept after the last merge; it is what the stream costs in memory.
    var tupleCount: Int { tuples.count }

    /// Records a batch sorted in ascending order, free of NaN, in a single merge.
    ///
    /// Owners that feed several streams the same observations sort once and call this on
    /// each, instead of paying one sort per stream.
    mutating func insert(sorted batch: UnsafeBufferPointer<Double>) {
        guard !batch.isEmpty else { return }
        assert(zip(batch, batch.dropFirst()).allSatisfy { $0 <= $1 }, "batch must be sorted and free of NaN")
        merge(batch)
    }

    /// The estimated value at `quantile`, or NaN when the stream holds nothing.
    ///
    /// For a quantile that is one of the objectives, the value's rank is within the
    /// objective's error; for any other quantile it is the best estimate the tuples allow.
    func query(_ quantile: Double) -> Double {
        guard let first = tuples.first else { return .nan }
        let target = quantile * Double(merged)
        var best = first.value
        var bestDistance = Double.infinity
        var rank = 0
        for tuple in tuples {
            let lowest = Double(rank + tuple.g)
            // Lower bounds only grow from here on, so no later tuple can come closer.
            if lowest - target > bestDistance { break }
            let distance = max(target - lowest, lowest + Double(tuple.delta) - target)
            // On a tie the higher value wins: the median of 100, 200, 300 reads 200, as an exact median would.
            if distance <= bestDistance {
                bestDistance = distance
                best = tuple.value
            }
            rank += tuple.g
        }
        return best
    }

    /// Forgets every observation but keeps the storage, since the stream refills soon.
    mutating func reset() {
        tuples.removeAll(keepingCapacity: true)
        merged = 0
    }

    /// Inserts a sorted batch into the tuple list in one backward pass, then compresses.
    ///
    /// Filling from the end lets the list grow in place, and each new tuple's successor is
    /// already written when the tuple is: a new value's rank is at most its successor's
    /// upper bound, so Δ = g + Δ − 1 of the successor (0 for a new minimum or maximum).
    private mutating func merge(_ batch: UnsafeBufferPointer<Double>) {
        let oldCount = tuples.count
        tuples.append(contentsOf: repeatElement(Tuple(value: 0, g: 0, delta: 0), count: batch.count))
        tuples.withUnsafeMutableBufferPointer { list in
            var existing = oldCount - 1
            var incoming = batch.count - 1
            var write = list.count - 1
            while incoming >= 0 {
                let value = batch[incoming]
                if existing >= 0 && list[existing].value > value {
                    list[write] = list[existing]
                    existing -= 1
                } else {
                    var delta = 0
                    if write > 0 && write < list.count - 1 {
                        delta = list[write + 1].g + list[write + 1].delta - 1
                    }
                    list[write] = Tuple(value: value, g: 1, delta: delta)
                    incoming -= 1
                }
                write -= 1
            }
        }
        merged += batch.count
        compress()
    }

    /// Merges runs of tuples into their last member wherever the invariant allows it.
    ///
    /// The pass runs forward and grows a run while the run's total g plus the last
    /// member's Δ stays within f at the run's starting rank; the bound is computed once
    /// per run. The first tuple, the exact minimum, is never merged away.
    private mutating func compress() {
        let n = Double(merged)
        let targets = self.targets
        var kept = 0
        tuples.withUnsafeMutableBufferPointer { list in
            guard list.count > 2 else {
                kept = list.count
                return
            }
            targets.withUnsafeBufferPointer { targets in
                kept = 1
                var run = list[1]
                var start = list[0].g
                var limit = Self.allowance(rank: Double(start), count: n, targets: targets)
                for index in 2..<list.count {
                    let next = list[index]
                    if Double(run.g + next.g + next.delta) <= limit {
                        run = Tuple(value: next.value, g: run.g + next.g, delta: next.delta)
                    } else {
                        list[kept] = run
                        kept += 1
                        start += run.g
                        run = next
                        limit = Self.allowance(rank: Double(start), count: n, targets: targets)
                    }
                }
                list[kept] = run
                kept += 1
            }
        }
        tuples.removeSubrange(kept...)
    }

    /// The invariant's bound f(r, n) on g + Δ for a tuple starting at rank r.
    @inline(__always)
    private static func allowance(rank r: Double, count n: Double, targets: UnsafeBufferPointer<Target>) -> Double {
        var bound = Double.infinity
        for target in targets {
            let term = r < target.quantile * n ? target.below * (n - r) : target.above * r
            bound = min(bound, term)
        }
        return bound
    }
}
