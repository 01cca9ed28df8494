/// Writes snapshots in OpenMetrics 1.0.0 text.
///
/// Differences from 0.0.4 that matter to a parser: a counter family is named without
/// `_total` in `# HELP`/`# TYPE` while its samples carry it; integral values are written
/// `1.0`; `# UNIT` appears when the family has a unit; `_created` samples (creation time,
/// seconds since the epoch) when `includeCreated` is set; exemplars after a counter's
/// `_total` line and a histogram's `_bucket` lines, ` # {trace_id="…"} 0.42 1700000000.123`
/// (the 0.0.4 format never writes them); and the body ends with `# EOF`.
/// See https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md
public struct OpenMetricsEncoder: Sendable {
    /// Whether counters, histograms and summaries also write a `_created` sample per series.
    public var includeCreated: Bool

    public init(includeCreated: Bool = false) {
        self.includeCreated = includeCreated
    }

    /// The exposition as UTF-8 bytes, ending with `# EOF`.
    public func encode(_ families: [MetricFamilySnapshot]) -> [UInt8] {
        SampleLineWriter.encode(format: .openmetrics, capacity: estimatedSize(families) + 6) { writer in
            for family in families {
                let name = family.name
                if !family.help.isEmpty { writer.appendComment("HELP", name: name, text: family.help, escapeText: true) }
                writer.appendComment("TYPE", name: name, text: family.type.rawValue)
                if let unit = family.unit { writer.appendComment("UNIT", name: name, text: unit) }
                writer.beginFamily(name: name, labelNames: family.labelNames)
                let writesCreated = includeCreated && family.type != .gauge
                family.forEachSeries { value, created, exemplars, labels in
                    switch value {
                    case .counter(let value):
                        writer.appendSample(suffix: "_total", labels: &labels, value: value)
                        if let exemplar = exemplars.first ?? nil { writer.appendExemplar(exemplar) }
                    case .gauge(let value):
                        writer.appendSample(suffix: "", labels: &labels, value: value)
                    case .histogram(let histogram):
                        writer.appendHistogram(labels: &labels, histogram, exemplars: exemplars)
                    case .summary(let summary):
                        writer.appendSummary(labels: &labels, summary)
                    }
                    if writesCreated {
                        writer.appendSample(suffix: "_created", labels: &labels, value: created)
                    }
                }
            }
            writer.appendRaw("# EOF\n")
        }
    }
}
