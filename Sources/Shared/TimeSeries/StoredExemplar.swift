/// One stored exemplar: its labels (a trace id, usually), its value, and when, in
/// milliseconds since the epoch (the scrape time when the exposition gave none).
public struct StoredExemplar: Sendable, Equatable {
    public let labels: LabelSet
    public let value: Double
    public let timestamp: Int64

    public init(labels: LabelSet, value: Double, timestamp: Int64) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    /// Whether two exemplars are the same; a NaN value equals a NaN value.
    public static func == (left: StoredExemplar, right: StoredExemplar) -> Bool {
        left.timestamp == right.timestamp && left.value.bitPattern == right.value.bitPattern && left.labels == right.labels
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
