import WorkbookKit

/// The checks of lesson 2, run against the exercise or the solution.
public enum CountersVsGaugesChecks {
    /// The signature of `metricKind(for:)`.
    public typealias Classify = @Sendable (Signal) throws -> MetricKind

    /// One check per signal, or per pair of signals that measure the same thing from two sides.
    static func checks(_ classify: @escaping Classify) -> [Check] {
        [
            Check("requests served is a counter: each answered request adds one") {
                try expectEqual(try classify(.requestsServed), .counter)
            },
            Check("errors are a counter, like the requests they are a part of") {
                try expectEqual(try classify(.errors), .counter)
            },
            Check("queue length is a gauge: taking a job out of the queue makes it smaller") {
                try expectEqual(try classify(.queueLength), .gauge)
            },
            Check("temperature is a gauge: a reading, not a total") {
                try expectEqual(try classify(.temperature), .gauge)
            },
            Check("requests in flight is a gauge: every finished request lowers it") {
                try expectEqual(try classify(.requestsInFlight), .gauge)
            },
            Check("bytes sent is a counter: a running total of an amount, not of events") {
                try expectEqual(try classify(.bytesSent), .counter)
            },
            Check("memory in use is a gauge: freeing memory lowers it") {
                try expectEqual(try classify(.memoryInUse), .gauge)
            },
            Check("jobs enqueued is a counter, while the queue length is a gauge") {
                try expectEqual(try classify(.jobsEnqueued), .counter)
            },
            Check("connections accepted is a counter, open connections a gauge") {
                try expectEqual(try classify(.connectionsAccepted), .counter)
                try expectEqual(try classify(.openConnections), .gauge)
            },
            Check("the time of the last backup is a gauge, though it only moves forward") {
                try expectEqual(try classify(.lastBackupTime), .gauge)
            },
            Check("CPU time used is a counter: seconds add up like bytes do") {
                try expectEqual(try classify(.cpuTimeUsed), .counter)
            },
        ]
    }
}
