import Instrumentation

/// One sample line of an exposition, as data: the full sample name, its labels and its value.
public struct FlatSample: Sendable, Equatable {
    /// The sample name, suffix included: `http_requests_total`, `latency_seconds_bucket`.
    public let name: String
    /// The labels in exposition order; histograms and summaries add `le` or `quantile` last.
    public let labels: [Label]
    public let value: Double

    public init(name: String, labels: [Label], value: Double) {
        self.name = name
        self.labels = labels
        self.value = value
    }

    /// The series this sample belongs to, with `extra` labels added (such as `job` and `instance`).
    public func labelSet(adding extra: [String: String] = [:]) -> LabelSet {
        var pairs = extra
        for label in labels { pairs[label.name] = label.value }
        pairs[LabelSet.metricNameLabel] = name
        return LabelSet(pairs)
    }
}

extension MetricFamilySnapshot {
    /// The family's samples as the text formats write them: a counter's `_total`, each
    /// histogram bucket with its `le`, each summary quantile, `_sum` and `_count`.
    public var flatSamples: [FlatSample] {
        var samples: [FlatSample] = []
        for series in series {
            let labels = zip(labelNames, series.labelValues).map { Label($0, $1) }
            func add(_ suffix: String, _ value: Double, _ extra: Label? = nil) {
                samples.append(FlatSample(name: name + suffix, labels: extra.map { labels + [$0] } ?? labels, value: value))
            }
            switch series.value {
            case .counter(let value): add("_total", value)
            case .gauge(let value): add("", value)
            case .histogram(let histogram):
                for (index, count) in histogram.cumulativeCounts.enumerated() {
                    let bound = index < histogram.upperBounds.count ? histogram.upperBounds[index] : .infinity
                    add("_bucket", Double(count), Label("le", formatSampleValue(bound, for: .prometheus)))
                }
                add("_sum", histogram.sum)
                add("_count", Double(histogram.count))
            case .summary(let summary):
                for quantile in summary.quantiles {
                    add("", quantile.value, Label("quantile", formatSampleValue(quantile.quantile, for: .prometheus)))
                }
                add("_sum", summary.sum)
                add("_count", Double(summary.count))
            }
        }
        return samples
    }
}

extension SeriesStore {
    /// Appends every sample of `families` at `timestamp` (milliseconds), with `labels` added to
    /// each series: what a scrape of a registry at that moment would store.
    public func ingest(_ families: [MetricFamilySnapshot], at timestamp: Int64, labels: [String: String] = [:]) {
        for family in families {
            for sample in family.flatSamples {
                append(sample.labelSet(adding: labels), timestamp: timestamp, value: sample.value)
            }
        }
    }
}
