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
        SampleLineWriter.encode(format: .prometheus, capacity: estimatedSize(families)) { writer in
            for family in families {
                let name = family.type == .counter ? family.name + "_total" : family.name
                if !family.help.isEmpty { writer.appendComment("HELP", name: name, text: family.help, escapeText: true) }
                writer.appendComment("TYPE", name: name, text: family.type.rawValue)
                writer.beginFamily(name: name, labelNames: family.labelNames)
                family.forEachSeries { value, _, _, labels in
                    switch value {
                    case .counter(let value), .gauge(let value):
                        writer.appendSample(suffix: "", labels: &labels, value: value)
                    case .histogram(let histogram):
                        writer.appendHistogram(labels: &labels, histogram)
                    case .summary(let summary):
                        writer.appendSummary(labels: &labels, summary)
                    }
                }
            }
        }
    }
}

extension MetricFamilySnapshot {
    /// Calls `body` with each series' value, creation time, exemplars and labels, borrowing
    /// rather than copying the series' arrays and strings (a copy would retain and release
    /// each of them for every series; so would passing the whole series).
    func forEachSeries(_ body: (SeriesValue, _ created: Double, _ exemplars: UnsafeBufferPointer<Exemplar?>, inout SeriesLabels) -> Void) {
        series.withUnsafeBufferPointer { series in
            for index in series.indices {
                let value = series[index].value
                let created = series[index].created
                series[index].exemplars.withUnsafeBufferPointer { exemplars in
                    series[index].labelValues.withUnsafeBufferPointer { values in
                        if let start = labelPairsStart, let identity = series[index].identity {
                            // The pairs run from `start` to the identity's closing brace.
                            withUTF8(of: identity) { bytes in
                                var labels = SeriesLabels(values: values, prepared: UnsafeBufferPointer(rebasing: bytes[start..<(bytes.count - 1)]))
                                body(value, created, exemplars, &labels)
                            }
                        } else {
                            var labels = SeriesLabels(values: values)
                            body(value, created, exemplars, &labels)
                        }
                    }
                }
            }
        }
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
