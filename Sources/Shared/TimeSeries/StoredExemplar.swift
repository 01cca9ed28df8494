/// One stored exemplar: its labels (a trace id, usually), its value, and when, in
/// milliseconds since the epoch (the scrape time when the exposition gave none).
public struct StoredExemplar: Sendable, Equatable {
    public let labels: LabelSet
    public let value: Double
    public let timestamp: Int64
    /// Whether the exposition gave the timestamp; false when it is the scrape's time.
    public let hasTimestamp: Bool

    public init(labels: LabelSet, value: Double, timestamp: Int64, hasTimestamp: Bool = true) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
        self.hasTimestamp = hasTimestamp
    }

    /// Whether two exemplars are the same, as Prometheus's exemplar storage decides it: the
    /// same labels and value (a NaN value equals a NaN value), and the same timestamp unless
    /// neither came with one. A target that serves a bucket's latest exemplar without a
    /// timestamp serves the same exemplar on every scrape, though each scrape stamps it with
    /// its own time; counting those as new would fill the buffer with copies of one example.
    public static func == (left: StoredExemplar, right: StoredExemplar) -> Bool {
        if (left.hasTimestamp || right.hasTimestamp) && left.timestamp != right.timestamp { return false }
        return left.value.bitPattern == right.value.bitPattern && left.labels == right.labels
    }
}

/// The exemplars of one series, oldest first: one entry of `/api/v1/query_exemplars`' data,
/// `{"seriesLabels": {…}, "exemplars": [{"labels": {…}, "value": "…", "timestamp": …}]}`.
public struct SeriesExemplars: Sendable, Equatable {
    /// The series the exemplars were scraped with, `__name__` included (`le` for a bucket).
    public let seriesLabels: LabelSet
    public let exemplars: [StoredExemplar]

    public init(seriesLabels: LabelSet, exemplars: [StoredExemplar]) {
        self.seriesLabels = seriesLabels
        self.exemplars = exemplars
    }
}
