import Platform
import Instrumentation
import TimeSeries

/// The pull model: fetch a target's exposition, stamp every sample with the scrape time, store it.
///
/// Each scrape of a target appends, with `job` and `instance` labels added:
/// - every sample of the exposition, timestamped with the moment the scrape started. The
///   target says *what* the values are; the scraper decides *when* they were. That is why
///   pulling cannot import history: whatever happened before the first scrape is only ever
///   seen as the value at that first scrape. (Timestamps written in the exposition are
///   ignored here; Prometheus honours them by default, but only within its last hour or two.)
/// - every exemplar the exposition carried (OpenMetrics), in the store's exemplar buffer,
///   under its sample's series and stamped with the scrape time unless it had a timestamp.
/// - `up` (1 when the scrape worked, 0 when it did not), `scrape_duration_seconds` and
///   `scrape_samples_scraped`, the series Prometheus writes about every scrape.
/// - a staleness marker for every series the previous scrape had and this one does not,
///   and for all of them when the target is down, so queries stop seeing them at once
///   instead of five minutes later.
///
/// A target is not trusted: the HTTP read has one deadline (`timeout`) that holds however the
/// target sends, and `limits` bound what one scrape may bring in. A scrape over a limit fails
/// as a whole, as in Prometheus: `up` is 0, none of its samples are stored, and the report's
/// error says which limit, such as `sample limit exceeded (300000 > 200000)`.
/// See https://prometheus.io/docs/concepts/jobs_instances/
public final class Scraper: Sendable {
    /// A job (a set of targets doing the same work) and one target of it.
    public struct Target: Sendable {
        public let job: String
        public let source: any ScrapeSource
        /// Labels added to every series of the target beside `job` and `instance`, as a
        /// `static_configs` entry's `labels` are in Prometheus (and with the same precedence:
        /// an exposed label of the same name is kept as `exported_<name>`).
        public let labels: [String: String]

        public init(job: String, source: any ScrapeSource, labels: [String: String] = [:]) {
            self.job = job
            self.source = source
            self.labels = labels
        }

        /// Every label the target adds to its series: `labels`, `job` and `instance`.
        public var targetLabels: [String: String] {
            labels.merging(["job": job, "instance": source.instance]) { $1 }
        }
    }

    /// The bounds on what one scrape may bring in; going over any of them fails the whole scrape.
    ///
    /// They are the `scrape_config` options of the same names. Prometheus leaves them off (0)
    /// by default; here each has a default far above what any lesson or `lesson serve all`
    /// exposes (a few hundred samples, a dozen labels, short names and values) and far below
    /// what would exhaust a laptop. Set one to 0 to turn it off. Names and values are measured
    /// in UTF-8 bytes, as Prometheus measures them (Go's `len`): `é` counts 2.
    /// See https://prometheus.io/docs/prometheus/latest/configuration/configuration/#scrape_config
    public struct Limits: Sendable, Equatable {
        /// `sample_limit`: the most samples one scrape may have (default 200,000).
        public var sampleLimit: Int
        /// `label_limit`: the most labels one sample may have, `__name__`, `job` and `instance`
        /// included, as Prometheus counts them after adding the target's labels (default 64).
        public var labelLimit: Int
        /// `label_name_length_limit`: the longest label name, in UTF-8 bytes (default 1,024).
        public var labelNameLengthLimit: Int
        /// `label_value_length_limit`: the longest label value, in UTF-8 bytes; the metric name
        /// counts, as the value of `__name__` (default 16,384).
        public var labelValueLengthLimit: Int
        /// `body_size_limit`: the largest exposition, in bytes (default 64 MiB); the read stops
        /// at the first byte over it, or before the body when its `Content-Length` is over.
        public var bodySizeLimit: Int

        /// Limits; each is a count, 0 for no limit.
        public init(
            sampleLimit: Int = 200_000, labelLimit: Int = 64, labelNameLengthLimit: Int = 1_024,
            labelValueLengthLimit: Int = 16_384, bodySizeLimit: Int = 64 << 20
        ) {
            precondition(
                sampleLimit >= 0 && labelLimit >= 0 && labelNameLengthLimit >= 0 && labelValueLengthLimit >= 0 && bodySizeLimit >= 0,
                "Scraper.Limits: a limit is a count, or 0 for no limit; none may be negative")
            self.sampleLimit = sampleLimit
            self.labelLimit = labelLimit
            self.labelNameLengthLimit = labelNameLengthLimit
            self.labelValueLengthLimit = labelValueLengthLimit
            self.bodySizeLimit = bodySizeLimit
        }

        /// Fails when the exposition `body` has more samples than `sampleLimit`.
        ///
        /// Counted before parsing, in one pass over the bytes, so a target exposing millions of
        /// series costs no more than reading them: nothing is parsed, allocated or stored. Every
        /// line that is neither blank nor a `#` line reads as exactly one sample or fails the
        /// parse, so the count is the number of samples of any exposition that parses.
        func checkSampleCount(of body: [UInt8]) throws(ScrapeError) {
            guard sampleLimit > 0 else { return }
            let count = Limits.sampleLineCount(body)
            guard count <= sampleLimit else { throw ScrapeError("sample limit exceeded (\(count) > \(sampleLimit))") }
        }

        /// The lines of `body` whose first byte after spaces and tabs is neither a line feed nor `#`.
        static func sampleLineCount(_ body: [UInt8]) -> Int {
            let lineFeed = UInt8(ascii: "\n"), hash = UInt8(ascii: "#"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
            return body.withUnsafeBufferPointer { bytes in
                var count = 0
                var atLineStart = true
                for byte in bytes {
                    if byte == lineFeed {
                        atLineStart = true
                    } else if atLineStart, byte != space, byte != tab {
                        atLineStart = false
                        if byte != hash { count += 1 }
                    }
                }
                return count
            }
        }

        /// Fails when the stored labels of one sample have too many labels, or a name or value
        /// too long; the message is Prometheus's.
        func checkLabels(_ labels: LabelSet) throws(ScrapeError) {
            let metric = Limits.shortened(labels.metricName)
            if labelLimit > 0, labels.labels.count > labelLimit {
                throw ScrapeError("label_limit exceeded (metric: \(metric), number of labels: \(labels.labels.count), limit: \(labelLimit))")
            }
            for label in labels.labels {
                let nameLength = label.name.utf8.count, valueLength = label.value.utf8.count
                if labelNameLengthLimit > 0, nameLength > labelNameLengthLimit {
                    throw ScrapeError(
                        "label_name_length_limit exceeded (metric: \(metric), label name: \(Limits.shortened(label.name)), "
                            + "length: \(nameLength), limit: \(labelNameLengthLimit))")
                }
                if labelValueLengthLimit > 0, valueLength > labelValueLengthLimit {
                    throw ScrapeError(
                        "label_value_length_limit exceeded (metric: \(metric), label name: \(Limits.shortened(label.name)), "
                            + "value: \"\(LabelEscaping.escaped(Limits.shortened(label.value)))\", length: \(valueLength), limit: \(labelValueLengthLimit))")
                }
            }
        }

        /// The first 50 characters of `text`, as Prometheus quotes names and values in these messages.
        private static func shortened(_ text: String) -> String {
            String(text.unicodeScalars.prefix(50))
        }
    }

    public let store: SeriesStore
    public let clock: any MetricsClock
    /// How long a scrape may take before it counts as failed, in seconds: one deadline for
    /// connecting, sending and reading the whole response, however the target sends it.
    public let timeout: Double
    /// What one scrape may bring in; see `Limits`.
    public let limits: Limits
    private let previousSeries = Locked<[String: Set<LabelSet>]>([:])

    public init(store: SeriesStore, clock: any MetricsClock = WallClock(), timeout: Double = 10, limits: Limits = Limits()) {
        self.store = store
        self.clock = clock
        self.timeout = timeout
        self.limits = limits
    }

    /// Scrapes `target` once, now, and stores what it got.
    @discardableResult
    public func scrape(_ target: Target) -> ScrapeReport {
        let timestamp = Int64((clock.now() * 1000).rounded())
        let targetLabels = target.targetLabels
        let started = ContinuousClock.now
        var scraped: [(labels: LabelSet, value: Double, exemplar: Exemplar?)] = []
        var failure: String?
        do {
            scraped = try read(target, adding: targetLabels)
        } catch {
            failure = "\(error)"
        }
        let elapsed = ContinuousClock.now - started
        let duration = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

        var current = Set<LabelSet>()
        for (labels, value, exemplar) in scraped where store.append(labels, timestamp: timestamp, value: value) {
            current.insert(labels)
            if let exemplar { store.exemplars.append(Self.stored(exemplar, scrapedAt: timestamp), to: labels) }
        }
        let key = target.job + "\u{0}" + target.source.instance
        let gone = previousSeries.withLock { previous -> Set<LabelSet> in
            let gone = previous[key, default: []].subtracting(current)
            previous[key] = current
            return gone
        }
        for labels in gone { store.markStale(labels, timestamp: timestamp) }

        let up = failure == nil
        store.append(LabelSet(name: "up", targetLabels), timestamp: timestamp, value: up ? 1 : 0)
        store.append(LabelSet(name: "scrape_duration_seconds", targetLabels), timestamp: timestamp, value: duration)
        store.append(LabelSet(name: "scrape_samples_scraped", targetLabels), timestamp: timestamp, value: Double(current.count))
        return ScrapeReport(timestamp: timestamp, up: up, samplesScraped: current.count, staleMarked: gone.count, durationSeconds: duration, error: failure)
    }

    /// The samples of one scrape of `target` with the labels they are stored under, or the first
    /// reason the scrape fails: the target, the exposition or a limit. All or nothing, so a
    /// scrape over a limit stores none of its samples.
    private func read(_ target: Target, adding targetLabels: [String: String]) throws -> [(labels: LabelSet, value: Double, exemplar: Exemplar?)] {
        let (body, contentType) = try target.source.fetch(timeout: timeout, bodySizeLimit: limits.bodySizeLimit)
        try limits.checkSampleCount(of: body)
        // Like Prometheus 2, an unknown Content-Type is read as the 0.0.4 text format.
        let samples = try ExpositionParser.parse(body, format: ExpositionFormat(contentType: contentType) ?? .prometheus)
        // As in Prometheus, the label limits apply to the labels as stored, the target's included.
        return try samples.map { sample throws(ScrapeError) in
            let labels = Self.labels(of: sample, adding: targetLabels)
            try limits.checkLabels(labels)
            return (labels, sample.value, sample.exemplar)
        }
    }

    /// An exemplar as stored: its timestamp in milliseconds, or the scrape time when it had
    /// none (or one beyond what milliseconds in 64 bits can hold), made as Prometheus makes it
    /// (`storedMilliseconds`).
    static func stored(_ exemplar: Exemplar, scrapedAt timestamp: Int64) -> StoredExemplar {
        let own = exemplar.timestamp.flatMap(storedMilliseconds(fromSeconds:))
        return StoredExemplar(labels: LabelSet(exemplar.labels), value: exemplar.value, timestamp: own ?? timestamp, hasTimestamp: own != nil)
    }

    /// The stored labels of a scraped sample: its own, the target's `job` and `instance`
    /// (a clashing label from the target is kept as `exported_job`/`exported_instance`, as
    /// Prometheus does), and the name.
    static func labels(of sample: ScrapedSample, adding targetLabels: [String: String]) -> LabelSet {
        var pairs: [String: String] = [:]
        for (name, value) in sample.labels {
            pairs[targetLabels[name] == nil ? name : "exported_" + name] = value
        }
        pairs.merge(targetLabels) { $1 }
        pairs[LabelSet.metricNameLabel] = sample.name
        return LabelSet(pairs)
    }
}

/// What one scrape did.
public struct ScrapeReport: Sendable, Equatable {
    /// The scrape time every sample was stamped with, in milliseconds since the epoch.
    public let timestamp: Int64
    public let up: Bool
    /// Samples stored (the value of `scrape_samples_scraped`).
    public let samplesScraped: Int
    /// Series that disappeared since the previous scrape and got a staleness marker.
    public let staleMarked: Int
    public let durationSeconds: Double
    /// Why the scrape failed, when it did.
    public let error: String?
}
