/// Writes the lines both text formats share: `# HELP`/`# TYPE` and sample lines.
///
/// A sample line is `name{label="value",…} value`: the braces only when there are
/// labels, label values escaped, the value formatted for the format.
struct SampleLineWriter {
    let format: ExpositionFormat
    var bytes: [UInt8] = []

    init(format: ExpositionFormat, capacity: Int) {
        self.format = format
        bytes.reserveCapacity(capacity)
    }

    mutating func appendComment(_ keyword: String, name: String, text: String, escapeText: Bool = false) {
        bytes.append(contentsOf: "# ".utf8)
        bytes.append(contentsOf: keyword.utf8)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: " "))
        if escapeText {
            LabelEscaping.append(text, escapingQuotes: format == .openmetrics, to: &bytes)
        } else {
            bytes.append(contentsOf: text.utf8)
        }
        bytes.append(UInt8(ascii: "\n"))
    }

    /// One sample line; `extra` is the `le` or `quantile` label that histograms and summaries add last.
    mutating func appendSample(
        name: String, suffix: String, labelNames: [String], labelValues: [String],
        extra: (name: String, value: Double)? = nil, value: Double
    ) {
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: suffix.utf8)
        if !labelNames.isEmpty || extra != nil {
            bytes.append(UInt8(ascii: "{"))
            for index in labelNames.indices {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: labelNames[index].utf8)
                bytes.append(contentsOf: "=\"".utf8)
                LabelEscaping.append(labelValues[index], escapingQuotes: true, to: &bytes)
                bytes.append(UInt8(ascii: "\""))
            }
            if let extra {
                if !labelNames.isEmpty { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: extra.name.utf8)
                bytes.append(contentsOf: "=\"".utf8)
                appendSampleValue(extra.value, for: format, to: &bytes)
                bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
        appendSampleValue(value, for: format, to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// The `le` bucket lines, `_sum` and `_count` of a histogram series, in the format's order.
    mutating func appendHistogram(name: String, labelNames: [String], labelValues: [String], _ histogram: HistogramSnapshot) {
        for (index, count) in histogram.cumulativeCounts.enumerated() {
            let bound = index < histogram.upperBounds.count ? histogram.upperBounds[index] : .infinity
            appendSample(name: name, suffix: "_bucket", labelNames: labelNames, labelValues: labelValues,
                         extra: ("le", bound), value: Double(count))
        }
        appendSums(name: name, labelNames: labelNames, labelValues: labelValues, sum: histogram.sum, count: histogram.count)
    }

    /// The quantile lines, `_sum` and `_count` of a summary series.
    mutating func appendSummary(name: String, labelNames: [String], labelValues: [String], _ summary: SummarySnapshot) {
        for quantile in summary.quantiles {
            appendSample(name: name, suffix: "", labelNames: labelNames, labelValues: labelValues,
                         extra: ("quantile", quantile.quantile), value: quantile.value)
        }
        appendSums(name: name, labelNames: labelNames, labelValues: labelValues, sum: summary.sum, count: summary.count)
    }

    // 0.0.4 clients write _sum before _count; OpenMetrics' reference parser reads either order.
    private mutating func appendSums(name: String, labelNames: [String], labelValues: [String], sum: Double, count: UInt64) {
        appendSample(name: name, suffix: "_sum", labelNames: labelNames, labelValues: labelValues, value: sum)
        appendSample(name: name, suffix: "_count", labelNames: labelNames, labelValues: labelValues, value: Double(count))
    }
}
