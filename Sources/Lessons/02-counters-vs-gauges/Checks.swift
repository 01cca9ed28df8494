import WorkbookKit

/// The checks of lesson 2, run against the exercise or the solution.
///
/// The named checks teach one signal (or one pair) each; the generated one asks about
/// 2,000 lists of signals and compares every answer with the reference.
///
/// Edge classes generated:
/// - every case of `Signal`, each hundreds of times;
/// - the same signal asked again and again, and in any order after any other (an answer
///   that depends on what was asked before fails);
/// - the pairs that measure one thing from two sides (jobs enqueued and queue length,
///   connections accepted and open connections) side by side;
/// - the traps: a value that only moves forward yet counts nothing (the last backup's
///   time, a gauge), and running totals of amounts rather than events (bytes, CPU seconds).
public enum CountersVsGaugesChecks {
    /// The signature of `metricKind(for:)`.
    public typealias Classify = @Sendable (Signal) throws -> MetricKind

    /// One check per signal, or per pair of signals that measure the same thing from two sides.
    static func checks(_ classify: @escaping Classify) -> [Check] {
        [
            Check("requests served is a counter: each answered request adds one") {
                try expectKind(classify, .requestsServed, .counter)
            },
            Check("errors are a counter, like the requests they are a part of") {
                try expectKind(classify, .errors, .counter)
            },
            Check("queue length is a gauge: taking a job out of the queue makes it smaller") {
                try expectKind(classify, .queueLength, .gauge)
            },
            Check("temperature is a gauge: a reading, not a total") {
                try expectKind(classify, .temperature, .gauge)
            },
            Check("requests in flight is a gauge: every finished request lowers it") {
                try expectKind(classify, .requestsInFlight, .gauge)
            },
            Check("bytes sent is a counter: a running total of an amount, not of events") {
                try expectKind(classify, .bytesSent, .counter)
            },
            Check("memory in use is a gauge: freeing memory lowers it") {
                try expectKind(classify, .memoryInUse, .gauge)
            },
            Check("jobs enqueued is a counter, while the queue length is a gauge") {
                try expectKind(classify, .jobsEnqueued, .counter)
            },
            Check("connections accepted is a counter, open connections a gauge") {
                try expectKind(classify, .connectionsAccepted, .counter)
                try expectKind(classify, .openConnections, .gauge)
            },
            Check("the time of the last backup is a gauge, though it only moves forward") {
                try expectKind(classify, .lastBackupTime, .gauge)
            },
            Check("CPU time used is a counter: seconds add up like bytes do") {
                try expectKind(classify, .cpuTimeUsed, .counter)
            },
            Check.generated(
                "2,000 generated lists of signals get the reference's answers",
                generate: SignalList.generate, shrink: SignalList.smaller, describe: SignalList.describe,
                subject: { signals in Classification(try signals.map { ($0, try classify($0)) }) },
                reference: { signals in Classification(try signals.map { ($0, try solutionMetricKind(for: $0)) }) }),
        ]
    }

    /// Fails unless `classify` answers `expected` for `signal`, naming the signal in the failure.
    private static func expectKind(_ classify: Classify, _ signal: Signal, _ expected: MetricKind) throws {
        try expectEqual(try classify(signal), expected, input: "metricKind(for: .\(signal))")
    }
}

/// What the generated check asks: signals in any order, repeats included.
enum SignalList {
    /// One to twenty signals: half drawn from every case, half from the pairs and the traps.
    static func generate(_ random: inout SeededRandom) -> [Signal] {
        let traps: [Signal] = [.lastBackupTime, .bytesSent, .cpuTimeUsed, .memoryInUse, .jobsEnqueued, .queueLength,
                               .connectionsAccepted, .openConnections]
        let pool = random.next(below: 2) == 0 ? Signal.allCases : traps
        return (0...random.next(below: 20)).map { _ in pool[Int(random.next(below: UInt64(pool.count)))] }
    }

    /// The list with one signal left out, for each signal.
    static func smaller(_ signals: [Signal]) -> [[Signal]] {
        signals.count < 2 ? [] : signals.indices.map { index in
            var fewer = signals
            fewer.remove(at: index)
            return fewer
        }
    }

    /// The calls, in order: `metricKind(for: .queueLength), metricKind(for: .errors)`.
    static func describe(_ signals: [Signal]) -> String {
        signals.map { "metricKind(for: .\($0))" }.joined(separator: ", ")
    }
}

/// Each signal asked about with the answer it got, as a failure shows them: `queueLength: gauge`.
struct Classification: Equatable, Sendable, CustomStringConvertible {
    let answers: [Answer]

    /// One signal and its kind.
    struct Answer: Equatable, Sendable {
        let signal: Signal
        let kind: MetricKind
    }

    init(_ answers: [(Signal, MetricKind)]) {
        self.answers = answers.map { Answer(signal: $0.0, kind: $0.1) }
    }

    var description: String {
        answers.map { "\($0.signal): \($0.kind)" }.joined(separator: ", ")
    }
}
