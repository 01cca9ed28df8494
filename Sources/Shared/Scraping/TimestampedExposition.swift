import TimeSeries

/// An OpenMetrics exposition whose every sample carries its own timestamp (what
/// `promtool tsdb create-blocks-from openmetrics` backfills), loaded into a series store.
///
/// Consecutive samples of one series, the usual layout of such a file, share one label set
/// and go to the store in one batch.
public enum TimestampedExposition {
    /// Why a file could not be loaded, in one line.
    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The latest timestamp a sample may carry, in seconds: far beyond any data, and far from
    /// where milliseconds would overflow.
    public static let latestSeconds = 9.2e12

    /// Loads every sample of `bytes` into `store` and returns the newest timestamp, in milliseconds.
    ///
    /// The file is read in batches, straight into the store: the samples are never all held
    /// as parsed samples at once. A file refused part way leaves what came before it in the
    /// store, so the caller gives up on the store then (`lesson query` exits).
    public static func load(_ bytes: some Collection<UInt8>, into store: SeriesStore) throws(LoadError) -> Int64 {
        var newest = Int64.min
        var current: (name: String, labels: [String: String], set: LabelSet)?
        var batch: [StoredSample] = []
        var refusal: LoadError?
        func flush() {
            if let current, !batch.isEmpty { store.append(current.set, samples: batch) }
            batch.removeAll(keepingCapacity: true)
        }
        func take(_ samples: [ScrapedSample]) -> Bool {
            for sample in samples {
                guard let seconds = sample.timestamp else {
                    refusal = LoadError(description: "sample \(sample.name) has no timestamp; every sample needs one (seconds after the value)")
                    return false
                }
                // Milliseconds as promtool's backfill makes them (`storedMilliseconds`).
                guard seconds.isFinite, Swift.abs(seconds) <= latestSeconds, let milliseconds = storedMilliseconds(fromSeconds: seconds) else {
                    refusal = LoadError(description: "sample \(sample.name) has the timestamp \(seconds), out of range (at most 9.2e12 seconds)")
                    return false
                }
                if current == nil || current!.name != sample.name || current!.labels != sample.labels {
                    flush()
                    var labels = sample.labels
                    labels[LabelSet.metricNameLabel] = sample.name
                    current = (sample.name, sample.labels, LabelSet(labels))
                }
                batch.append(StoredSample(timestamp: milliseconds, value: sample.value))
                newest = max(newest, milliseconds)
            }
            return true
        }
        do {
            try ExpositionParser.forEachBatch(bytes, format: .openmetrics) { take($0) }
        } catch {
            throw LoadError(description: "\(error)")
        }
        if let refusal { throw refusal }
        flush()
        guard newest != .min else { throw LoadError(description: "it holds no samples") }
        return newest
    }
}
