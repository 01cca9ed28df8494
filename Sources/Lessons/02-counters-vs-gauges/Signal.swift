/// The two ways to expose a number that this lesson is about.
public enum MetricKind: Sendable, Equatable {
    /// A running total: it only goes up while the process runs, and starts again from zero
    /// when the process restarts. Queried through `rate()` or `increase()`.
    case counter
    /// A reading taken at the moment of the scrape: it may go up or down. Queried as it is,
    /// or with `avg_over_time`, `max_over_time`, `delta`.
    case gauge
}

/// Things a service might measure, each to be exposed as a counter or as a gauge.
///
/// Each case says what the number would be at the moment Prometheus scrapes it.
public enum Signal: Sendable, CaseIterable {
    /// Requests the service has answered since it started.
    case requestsServed
    /// Requests that ended in an error since the service started.
    case errors
    /// Jobs waiting in the queue right now. A worker taking a job out makes it smaller.
    case queueLength
    /// The CPU's temperature in degrees Celsius, read from a sensor.
    case temperature
    /// Requests that have started and not finished yet.
    case requestsInFlight
    /// Bytes written to clients since the service started.
    case bytesSent
    /// Bytes of memory the process holds right now. Freeing memory makes it smaller.
    case memoryInUse
    /// Jobs ever put into the queue since the service started.
    case jobsEnqueued
    /// Client connections open right now.
    case openConnections
    /// Client connections accepted since the service started.
    case connectionsAccepted
    /// When the last backup finished, in seconds since the Unix epoch. It only ever moves forward.
    case lastBackupTime
    /// Seconds of CPU time the process has used since it started.
    case cpuTimeUsed
}
