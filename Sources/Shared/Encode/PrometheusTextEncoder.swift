/// Writes snapshots in the Prometheus text format 0.0.4.
///
/// Per family: `# HELP` (when there is help text) and `# TYPE`, then its samples. A
/// counter's HELP, TYPE and sample all carry the `_total` name. Histograms write
/// cumulative `_bucket{le="…"}` lines ending in `le="+Inf"`, then `_sum` and `_count`;
/// summaries a line per quantile, then `_sum` and `_count`.
/// See https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
public struct PrometheusTextEncoder: Sendable {
    public init() {}

    /// The exposition as UTF-8 bytes.
    public func encode(_ families: [MetricFamilySnapshot]) -> [UInt8] {
        var writer = SampleLineWriter(format: .prometheus, capacity: estimatedSize(families))
        for family in families {
            let name = family.type == .counter ? family.name + "_total" : family.name
            if !family.help.isEmpty { writer.appendComment("HELP", name: name, text: family.help, escapeText: true) }
            writer.appendComment("TYPE", name: name, text: family.type.rawValue)
            for series in family.series {
                switch series.value {
                case .counter(let value), .gauge(let value):
                    writer.appendSample(name: name, suffix: "", labelNames: family.labelNames, labelValues: series.labelValues, value: value)
                case .histogram(let histogram):
                    writer.appendHistogram(name: name, labelNames: family.labelNames, labelValues: series.labelValues, histogram)
                case .summary(let summary):
                    writer.appendSummary(name: name, labelNames: family.labelNames, labelValues: series.labelValues, summary)
                }
            }
        }
        return writer.bytes
    }
}

/// A first guess at the output size, so the buffer grows once or not at all.
func estimatedSize(_ families: [MetricFamilySnapshot]) -> Int {
    families.reduce(0) { total, family in
        let perSeries = family.name.utf8.count + 16 + family.labelNames.count * 24
        let lines = family.series.reduce(0) { count, series in
            switch series.value {
            case .counter, .gauge: count + 1
            case .histogram(let histogram): count + histogram.cumulativeCounts.count + 3
            case .summary(let summary): count + summary.quantiles.count + 3
            }
        }
        return total + 64 + family.help.utf8.count + lines * perSeries
    }
}
