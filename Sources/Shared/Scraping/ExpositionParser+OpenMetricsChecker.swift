import Instrumentation

extension ExpositionParser {
    /// What a sample is within its family, by the suffix its name adds to the family name.
    enum SampleRole {
        /// No suffix: a gauge or unknown value, a summary quantile, a stateset state.
        case plain
        /// `_total`, a counter's value.
        case total
        /// `_created`, when a counter, histogram or summary started.
        case created
        /// `_bucket`, a histogram or gauge histogram bucket.
        case bucket
        /// `_count`, a histogram's or summary's count of observations.
        case count
        /// `_sum`, a histogram's or summary's sum of observations.
        case sum
        /// `_gcount`, a gauge histogram's count.
        case gaugeCount
        /// `_gsum`, a gauge histogram's sum.
        case gaugeSum
        /// `_info`, an info metric's sample.
        case info

        /// The role of the samples named with `suffix`, one of those `sampleSuffixes` lists.
        init(suffix: String) {
            switch suffix {
            case "_total": self = .total
            case "_created": self = .created
            case "_bucket": self = .bucket
            case "_count": self = .count
            case "_sum": self = .sum
            case "_gcount": self = .gaugeCount
            case "_gsum": self = .gaugeSum
            case "_info": self = .info
            default: self = .plain
            }
        }
    }

    /// Holds each OpenMetrics family's samples to the rules of its type, sample by sample.
    ///
    /// The text format spells out what every type's samples may say
    /// (https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md):
    /// - values: counter totals, histogram buckets, counts and sums are counters, so never
    ///   NaN or negative, and buckets and counts are whole numbers; a quantile is never
    ///   negative; an info sample says 1 and a state 0 or 1;
    /// - labels: a bucket carries `le` (a number, `+Inf` spelled so), a quantile `quantile`
    ///   (between 0 and 1), a state the family's name; no other sample carries them;
    /// - exemplars: only on a counter's `_total` and on buckets, at most the bucket's bound;
    /// - series: a Metric (the labels without `le`, `quantile` or the state label) does not
    ///   come back once another started, and its timestamps are all there or all absent and
    ///   never go back;
    /// - histograms: each point (a Metric at one timestamp) has buckets in increasing `le`
    ///   ending at `+Inf`, cumulative counts, `_count` equal to the `+Inf` bucket, `_count`
    ///   and `_sum` together or not at all, and no `_sum` when a bucket bound is negative.
    ///
    /// Info families are exempt from the series rules: their Metric labels cannot be told
    /// from their point labels in the text.
    struct OpenMetricsChecker {
        /// The family being checked: its name and type.
        private var familyName = ""
        private var familyType = ScrapedFamily.DeclaredType.unknown
        /// The Metric the last sample belonged to, by its key (see `checkSeries`); nil before the family's first sample.
        private var currentMetric: UInt64?
        /// The timestamp of the last sample of `currentMetric`.
        private var lastTimestamp: Double?
        /// Every Metric of the family so far, by key: the labels of its first sample and their
        /// point label, to confirm a repeat is one and not two label sets with the same key.
        private var startedMetrics: [UInt64: StartedMetric] = [:]

        /// The first sample of a Metric, as far as telling Metrics apart needs it.
        private struct StartedMetric {
            let labels: [String: String]
            let pointLabel: String?
        }
        /// The histogram point being read, if the family is a histogram or gauge histogram.
        private var point = HistogramPoint()
        /// The digest of the family name, the point label of a stateset.
        private var familyNameDigest: UInt64 = 0
        /// The digests of the other point labels' names.
        private static let leDigest = ExpositionParser.digest("le")
        private static let quantileDigest = ExpositionParser.digest("quantile")
        /// How many samples with a point label (`le`, `quantile`) the current point has had.
        private var pointPosition = 0
        /// The `le` and `quantile` values read and the numbers they read as, by position in
        /// their point: a family's series mostly share them, and the parser hands a repeated
        /// value over as the same string, which compares at once.
        private var knownNumbers: [KnownNumber] = []

        /// A label value and the number it reads as.
        private struct KnownNumber {
            let text: String
            let number: Double
        }

        /// The buckets, count and sum of one histogram point so far.
        private struct HistogramPoint {
            /// Whether any sample of a point has been read.
            var isOpen = false
            /// The line of the point's last sample, for messages about the whole point.
            var line = 0
            /// The labels of the point's last sample, for messages.
            var labels: [String: String] = [:]
            /// The last bucket's bound and count.
            var lastBound: Double?
            var lastBucketCount = 0.0
            /// The `_count` or `_gcount` value, when there was one.
            var count: Double?
            /// Whether a `_sum` or a `_gsum` came.
            var hasSum = false
            var hasGaugeSum = false
            /// Whether a bucket bound was below zero.
            var hasNegativeBound = false
            /// Whether the `_gsum` was below zero.
            var hasNegativeGaugeSum = false
        }

        /// Starts checking the family `name` of `type`; call before its first sample.
        mutating func begin(family name: String, type: ScrapedFamily.DeclaredType) {
            familyName = name
            familyType = type
            currentMetric = nil
            lastTimestamp = nil
            startedMetrics.removeAll(keepingCapacity: true)
            point = HistogramPoint()
            familyNameDigest = type == .stateSet ? ExpositionParser.digest(name) : 0
            pointPosition = 0
        }

        /// Checks the family's last histogram point; call after its last sample.
        mutating func finish() throws(ExpositionParseError) {
            try finishPoint()
        }

        /// Checks `sample`, read on `line` with the exemplar value `exemplar` if it had one;
        /// `labelsDigest` is the sum of its labels' `labelDigest`s.
        mutating func check(
            _ sample: ScrapedSample, role: SampleRole, exemplar: Double?, labelsDigest: UInt64, line: Int
        ) throws(ExpositionParseError) {
            let special = pointLabel(for: role)
            let pointValue = special.flatMap { sample.labels[$0] }
            // The series first: a new one finishes the point before, which the value checks count from.
            if familyType != .info,
               try checkSeries(sample, special: special, pointValue: pointValue, labelsDigest: labelsDigest, line: line) {
                // A reserved label changes the series, so only a new series can carry one.
                try checkReservedLabels(sample, role: role, line: line)
            }
            let bound = try checkValueAndLabels(sample, role: role, pointValue: pointValue, line: line)
            if let exemplar { try checkExemplar(exemplar, role: role, bound: bound, sample: sample, line: line) }
            if familyType == .histogram || familyType == .gaugeHistogram {
                try addToPoint(sample, role: role, bound: bound, line: line)
            }
            if pointValue != nil { pointPosition += 1 }
        }

        // MARK: Values and labels

        /// Checks the value and the labels a sample's type and role call for, `pointValue` being
        /// the value of its point label; returns the bucket bound of a bucket.
        private mutating func checkValueAndLabels(
            _ sample: ScrapedSample, role: SampleRole, pointValue: String?, line: Int
        ) throws(ExpositionParseError) -> Double? {
            let value = sample.value
            switch (familyType, role) {
            case (.counter, .total):
                try require(!value.isNaN && value >= 0, line, "a counter's _total is never NaN or negative, found \(Self.text(value))")
            case (.histogram, .bucket), (.gaugeHistogram, .bucket):
                let bound = try bucketBound(pointValue, line: line)
                try requireCount(value, "a bucket's count", line)
                return bound
            case (.histogram, .count), (.summary, .count), (.gaugeHistogram, .gaugeCount):
                try requireCount(value, "a \(familyType.rawValue)'s \(role == .count ? "_count" : "_gcount")", line)
            case (.histogram, .sum), (.summary, .sum):
                try require(!value.isNaN && value >= 0, line, "a \(familyType.rawValue)'s _sum is never NaN or negative, found \(Self.text(value))")
            case (.gaugeHistogram, .gaugeSum):
                try require(!value.isNaN, line, "a gauge histogram's _gsum is never NaN")
            case (.summary, .plain):
                try checkQuantile(pointValue, line: line)
                try require(!(value < 0), line, "a quantile's value is never negative, found \(Self.text(value))")
            case (.stateSet, .plain):
                try require(
                    pointValue != nil, line,
                    "a stateset sample names its state in the label \(familyName), the family's name; it has none")
                try require(value == 0 || value == 1, line, "a state is 1 (true) or 0 (false), found \(Self.text(value))")
            case (.info, .info):
                try require(value == 1, line, "an info sample's value is always 1, found \(Self.text(value))")
            default:
                break
            }
            return nil
        }

        /// Refuses `le` on histogram samples other than buckets and `quantile` on summary
        /// samples other than quantiles: a Metric's own labels may not use them.
        private func checkReservedLabels(_ sample: ScrapedSample, role: SampleRole, line: Int) throws(ExpositionParseError) {
            guard !sample.labels.isEmpty else { return }
            switch familyType {
            case .histogram where role != .bucket, .gaugeHistogram where role != .bucket:
                try require(
                    sample.labels["le"] == nil, line, "only a \(familyType.rawValue)'s _bucket samples carry an le label")
            case .summary where role != .plain:
                try require(sample.labels["quantile"] == nil, line, "only a summary's quantile samples carry a quantile label")
            default:
                break
            }
        }

        /// The bound of a bucket, its `le` label `text`: a number other than NaN, `+Inf` spelled so.
        private mutating func bucketBound(_ text: String?, line: Int) throws(ExpositionParseError) -> Double {
            guard let text else {
                throw ExpositionParseError(line: line, reason: "a _bucket sample needs an le label, its upper bound")
            }
            guard let bound = pointNumber(text), !bound.isNaN else {
                throw ExpositionParseError(line: line, reason: "le=\"\(text)\" is not a bucket bound: expected a number other than NaN")
            }
            try require(bound != .infinity || text == "+Inf", line, "le=\"\(text)\" must be written le=\"+Inf\"")
            return bound
        }

        /// Checks a summary quantile sample's `quantile` label `text`: a number from 0 to 1.
        private mutating func checkQuantile(_ text: String?, line: Int) throws(ExpositionParseError) {
            guard let text else {
                throw ExpositionParseError(
                    line: line, reason: "a summary sample named \(familyName) is a quantile and needs a quantile label")
            }
            guard let quantile = pointNumber(text), quantile >= 0, quantile <= 1 else {
                throw ExpositionParseError(line: line, reason: "quantile=\"\(text)\" is not a quantile: expected a number from 0 to 1")
            }
        }

        /// Refuses an exemplar anywhere but on a counter's `_total` and a bucket, and above its bucket's bound.
        private func checkExemplar(
            _ exemplar: Double, role: SampleRole, bound: Double?, sample: ScrapedSample, line: Int
        ) throws(ExpositionParseError) {
            let allowed = (familyType == .counter && role == .total)
                || ((familyType == .histogram || familyType == .gaugeHistogram) && role == .bucket)
            try require(allowed, line, "an exemplar may follow only a counter's _total or a histogram's _bucket, not \(sample.name)")
            if let bound {
                try require(
                    !(exemplar > bound), line,
                    "the exemplar's value \(Self.text(exemplar)) is above its bucket's bound le=\"\(sample.labels["le"] ?? "")\"")
            }
        }

        // MARK: Series

        /// Refuses a Metric that comes back after another started, and timestamps that go
        /// back or come and go within a Metric; returns whether the sample starts a Metric.
        private mutating func checkSeries(
            _ sample: ScrapedSample, special: String?, pointValue: String?, labelsDigest: UInt64, line: Int
        ) throws(ExpositionParseError) -> Bool {
            // The Metric's key: the digest of its labels, which are the sample's without the point label.
            var key = labelsDigest
            if let value = pointValue {
                let nameDigest = switch familyType {
                case .stateSet: familyNameDigest
                case .summary: Self.quantileDigest
                default: Self.leDigest
                }
                key &-= ExpositionParser.labelDigest(nameDigest, ExpositionParser.digest(value))
            }
            guard key == currentMetric else {
                // One hash of the key both records the Metric and finds an earlier one.
                if let earlier = startedMetrics.updateValue(StartedMetric(labels: sample.labels, pointLabel: special), forKey: key) {
                    let metric = Self.metricLabels(sample.labels, excluding: special)
                    try require(
                        Self.metricLabels(earlier.labels, excluding: earlier.pointLabel) != metric, line,
                        "the series \(Self.series(familyName, metric)) comes back after another series of the family; "
                            + "a series' samples stay together")
                }
                try finishPoint()
                currentMetric = key
                lastTimestamp = sample.timestamp
                pointPosition = 0
                return true
            }
            switch (lastTimestamp, sample.timestamp) {
            case (nil, nil):
                break
            case (let last?, let timestamp?):
                try require(
                    timestamp >= last, line,
                    "timestamp \(Self.text(timestamp)) goes back from \(Self.text(last)); a series' timestamps never decrease")
                if timestamp != last {
                    try finishPoint()
                    pointPosition = 0
                }
            default:
                throw ExpositionParseError(
                    line: line, reason: "a series' samples either all have timestamps or none has; \(sample.name) breaks the pattern")
            }
            lastTimestamp = sample.timestamp
            return false
        }

        /// The label that tells a Metric's samples apart within one point: `le`, `quantile` or
        /// the state label, or nil when the role has none.
        private func pointLabel(for role: SampleRole) -> String? {
            switch (familyType, role) {
            case (.histogram, .bucket), (.gaugeHistogram, .bucket): "le"
            case (.summary, .plain): "quantile"
            case (.stateSet, _): familyName
            default: nil
            }
        }

        /// The labels of a Metric: a sample's labels without its point label.
        private static func metricLabels(_ labels: [String: String], excluding special: String?) -> [String: String] {
            guard let special else { return labels }
            var labels = labels
            labels[special] = nil
            return labels
        }

        // MARK: Histogram points

        /// Adds a histogram or gauge histogram sample to the point it belongs to.
        private mutating func addToPoint(_ sample: ScrapedSample, role: SampleRole, bound: Double?, line: Int) throws(ExpositionParseError) {
            point.isOpen = true
            point.line = line
            point.labels = sample.labels
            switch role {
            case .bucket:
                guard let bound else { return }
                if let last = point.lastBound {
                    try require(
                        bound > last, line,
                        "buckets go in increasing order of le, and le=\"\(sample.labels["le"] ?? "")\" follows a bound of \(Self.text(last))")
                }
                try require(
                    sample.value >= point.lastBucketCount, line,
                    "buckets are cumulative, but this one counts \(Self.text(sample.value)), less than the \(Self.text(point.lastBucketCount)) before it")
                point.lastBound = bound
                point.lastBucketCount = sample.value
                point.hasNegativeBound = point.hasNegativeBound || bound < 0
            case .count, .gaugeCount:
                point.count = sample.value
            case .sum:
                point.hasSum = true
            case .gaugeSum:
                point.hasGaugeSum = true
                point.hasNegativeGaugeSum = point.hasNegativeGaugeSum || sample.value < 0
            default:
                break
            }
        }

        /// Checks the point just read as a whole, then forgets it.
        private mutating func finishPoint() throws(ExpositionParseError) {
            guard point.isOpen else { return }
            let read = point
            point = HistogramPoint()
            let line = read.line
            // Made only for a message, so only when one is thrown.
            var series: String { Self.series(familyName, Self.metricLabels(read.labels, excluding: "le")) }
            let gauge = familyType == .gaugeHistogram
            let (count, sum) = gauge ? ("_gcount", "_gsum") : ("_count", "_sum")
            try require(read.lastBound == .infinity, line, "\(series) has no le=\"+Inf\" bucket; every histogram point ends with one")
            if let total = read.count {
                try require(
                    total == read.lastBucketCount, line,
                    "\(series): \(count) is \(Self.text(total)) but the +Inf bucket counts \(Self.text(read.lastBucketCount)); they must agree")
            }
            let hasSum = gauge ? read.hasGaugeSum : read.hasSum
            try require(hasSum == (read.count != nil), line, "\(series) has \(hasSum ? sum : count) without \(hasSum ? count : sum); they come together")
            try require(
                !(read.hasSum && read.hasNegativeBound), line,
                "\(series) has a negative bucket bound, so it may not have a _sum (it would not be a counter)")
            try require(
                !(read.hasNegativeGaugeSum && !read.hasNegativeBound), line,
                "\(series) has a negative _gsum but no negative bucket bound")
        }

        // MARK: Helpers

        /// Throws `reason` on `line` unless `condition` holds.
        @inline(__always)
        private func require(_ condition: Bool, _ line: Int, _ reason: @autoclosure () -> String) throws(ExpositionParseError) {
            guard condition else { throw ExpositionParseError(line: line, reason: reason()) }
        }

        /// Requires a count: a whole number, not negative.
        private func requireCount(_ value: Double, _ what: String, _ line: Int) throws(ExpositionParseError) {
            try require(
                value >= 0 && value.isFinite && value.rounded(.towardZero) == value, line,
                "\(what) is a whole number, not negative, found \(Self.text(value))")
        }

        /// The point label value `text` read as a number, or nil when it is not one; looked up
        /// in `knownNumbers` first.
        private mutating func pointNumber(_ text: String) -> Double? {
            let position = pointPosition
            if position < knownNumbers.count, knownNumbers[position].text == text { return knownNumbers[position].number }
            guard let number = Self.number(text) else { return nil }
            if position < knownNumbers.count {
                knownNumbers[position] = KnownNumber(text: text, number: number)
            } else {
                knownNumbers.append(KnownNumber(text: text, number: number))
            }
            return number
        }

        /// A label value read as a number, or nil when it is not one.
        private static func number(_ text: String) -> Double? {
            var text = text
            return text.withUTF8 { bytes in
                if case .number(let value, _) = ExpositionParser.readNumber(bytes) { return value }
                return nil
            }
        }

        /// A series as the exposition would write it, labels sorted by name, for messages.
        private static func series(_ name: String, _ labels: [String: String]) -> String {
            guard !labels.isEmpty else { return name }
            let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(LabelEscaping.escaped($0.value))\"" }
            return name + "{" + pairs.joined(separator: ",") + "}"
        }

        /// A value as the exposition would write it, for messages.
        private static func text(_ value: Double) -> String {
            formatSampleValue(value, for: .openmetrics)
        }
    }
}

extension ExpositionParser {
    /// A 64-bit digest of a label name or value, from its UTF-8 bytes, eight at a time.
    ///
    /// The OpenMetrics checker tells series apart by the sum of their labels' `labelDigest`s,
    /// a sum so that the order of the labels does not matter. Only equal sums are compared
    /// label by label, so two label sets sharing a sum could at worst hide an interleaving,
    /// never invent one.
    static func digest(_ text: String) -> UInt64 {
        let digest = text.utf8.withContiguousStorageIfAvailable { bytes -> UInt64 in
            var hash = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
            var offset = 0
            if let base = bytes.baseAddress {
                while offset + 8 <= bytes.count {
                    hash = (hash ^ UnsafeRawPointer(base).loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* digestMultiplier
                    hash ^= hash >> 47
                    offset += 8
                }
            }
            var tail: UInt64 = 0
            while offset < bytes.count {
                tail = tail << 8 | UInt64(bytes[offset])
                offset += 1
            }
            hash = (hash ^ tail) &* digestMultiplier
            return hash ^ hash >> 47
        }
        if let digest { return digest }
        var copy = text
        copy.makeContiguousUTF8()
        return ExpositionParser.digest(copy)
    }

    /// The digest of one label from the digests of its name and value.
    @inline(__always)
    static func labelDigest(_ name: UInt64, _ value: UInt64) -> UInt64 {
        var hash = (name &* digestMultiplier) ^ value
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        return hash ^ hash >> 33
    }

    /// The multiplier of `digest` (MurmurHash2's).
    private static var digestMultiplier: UInt64 { 0xC6A4_A793_5BD1_E995 }
}
