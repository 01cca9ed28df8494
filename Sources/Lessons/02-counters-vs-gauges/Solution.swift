
/// The reference answer to `metricKind(for:)` in Exercise.swift. Try the exercise first.
func solutionMetricKind(for signal: Signal) throws -> MetricKind {
    switch signal {
    // Running totals of events or amounts: they only grow until the process restarts.
    case .requestsServed, .errors, .bytesSent, .jobsEnqueued, .connectionsAccepted, .cpuTimeUsed:
        .counter
    // Readings of the present: each can fall while the process runs.
    case .queueLength, .temperature, .requestsInFlight, .memoryInUse, .openConnections:
        .gauge
    // A point in time, not a total: it only moves forward, yet nothing is being counted.
    case .lastBackupTime:
        .gauge
    }
}
