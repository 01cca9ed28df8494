import Instrumentation

/// Merges the expositions of several targets into one, each sample labelled with where it came from.
///
/// This is what `lesson serve all` answers on `/metrics`: every lesson's registry runs in
/// its own process, and one endpoint gathers them, adding `lesson="05-histogram-buckets"`
/// (or whatever labels a source is given) to each sample. Families with the same name
/// from different sources become one family, written in one piece: the first source's
/// HELP, TYPE and UNIT win, and a family whose TYPE disagrees with the first is left out
/// and reported, since one name may have only one type.
///
/// The sources are read in the format the result is written in, and each sample keeps what
/// that format carries. In text 0.0.4: samples only. In OpenMetrics: `# UNIT`, `_created`
/// samples, exemplars, the OpenMetrics-only types, and the `# EOF` that ends it. (Sample
/// timestamps are left out in both: a merged exposition is a view of now.)
public enum ExpositionMerger {
    /// One source: labels to add to each of its samples, and the families read from it.
    public struct Source: Sendable {
        public let labels: [String: String]
        public let families: [ScrapedFamily]

        public init(labels: [String: String], families: [ScrapedFamily]) {
            self.labels = labels
            self.families = families
        }
    }

    /// The merged exposition in `format` (the format the sources were read in), and a line
    /// for each family or sample left out because its type or its names clashed.
    ///
    /// Names outside the legacy character set are written as `escaping` says (see
    /// `MetricsEndpoint.negotiate`): quoted for a scraper that reads UTF-8 names
    /// (`{"my.metric","label.name"="v"} 1`), escaped otherwise (`my_metric{label_name="v"} 1`).
    /// Families are merged by the name they are written with, so two that escape to one name
    /// become one family; a sample whose label names escape to one name is left out.
    public static func merge(
        _ sources: [Source], format: ExpositionFormat = .prometheus, escaping: NameEscaping = .default
    ) -> (text: [UInt8], conflicts: [String]) {
        var order: [String] = []
        var merged: [String: (first: ScrapedFamily, samples: [(sample: ScrapedSample, extra: [String: String], family: String)])] = [:]
        var conflicts: [String] = []
        for source in sources {
            for family in source.families {
                let name = escaping.escapedMetricName(family.name)
                if let existing = merged[name] {
                    guard existing.first.type == family.type else {
                        conflicts.append("\(name) is a \(family.type.rawValue) in \(source.labels) but a \(existing.first.type.rawValue) elsewhere; left out")
                        continue
                    }
                } else {
                    order.append(name)
                    merged[name] = (family, [])
                }
                merged[name]!.samples += family.samples.map { ($0, source.labels, family.name) }
            }
        }
        var output = Output(format: format)
        for name in order {
            let (family, samples) = merged[name]!
            let written = writtenMetricName(name)
            if let help = family.help, !help.isEmpty { output.writer.appendComment("HELP", name: written, text: help, escapeText: true) }
            output.writer.appendComment("TYPE", name: written, text: typeName(family.type, in: format))
            if format == .openmetrics, let unit = family.unit, !unit.isEmpty { output.writer.appendComment("UNIT", name: written, text: unit) }
            for (sample, extra, familyName) in samples {
                var labels = sample.labels
                labels.merge(extra) { $1 }
                guard let escaped = escapedLabels(labels, escaping) else {
                    conflicts.append("a sample of \(name) has label names that escape to one name (\(labels.keys.sorted())); left out")
                    continue
                }
                let names = escaped.keys.sorted()
                let exemplar = format == .openmetrics ? sample.exemplar.map { escapedExemplar($0, escaping) } : nil
                // The family's escaped name and the sample's suffix, as an encoder writes them: escaped
                // whole, `my.x_total` would become `U__my_2e_x__total` under `values`, no name of its family.
                let sampleName = sample.name.hasPrefix(familyName)
                    ? name + sample.name.dropFirst(familyName.count) : escaping.escapedMetricName(sample.name)
                let labelNames = names.map { writtenLabelName($0) }
                let labelValues = names.map { escaped[$0]! }
                if escaping == .allowUTF8, !NameEscaping.isLegacyMetricName(sampleName) {
                    output.append(quotedNameLine(sampleName, labelNames: labelNames, labelValues: labelValues, value: sample.value,
                                                 exemplar: exemplar, format: format))
                } else {
                    output.writer.appendSample(
                        name: sampleName, suffix: "", labelNames: labelNames, labelValues: labelValues, value: sample.value, exemplar: exemplar)
                }
            }
        }
        if format == .openmetrics { output.writer.appendRaw("# EOF\n") }
        return (output.finish(), conflicts)
    }

    /// The exposition as it is written: a line writer, and the bytes written before it
    /// whenever a line the writer cannot write (a quoted metric name) came between.
    private struct Output: ~Copyable {
        let format: ExpositionFormat
        var writer: SampleLineWriter
        var earlier: [UInt8] = []

        init(format: ExpositionFormat) {
            self.format = format
            writer = SampleLineWriter(format: format, capacity: 64 * 1024)
        }

        /// Adds `line` after what the writer holds; the writer starts afresh after it.
        mutating func append(_ line: [UInt8]) {
            earlier += writer.bytes
            earlier += line
            writer = SampleLineWriter(format: format, capacity: 4 * 1024)
        }

        /// Everything written.
        consuming func finish() -> [UInt8] {
            earlier + writer.bytes
        }
    }

    /// A sample line whose metric name needs quotes: the writer writes the line without a
    /// name, `{a="1"} 2` or ` 2`, and the name goes first inside the braces:
    /// `{"my.metric",a="1"} 2`, `{"my.metric"} 2`.
    private static func quotedNameLine(
        _ name: String, labelNames: [String], labelValues: [String], value: Double, exemplar: Exemplar?, format: ExpositionFormat
    ) -> [UInt8] {
        var writer = SampleLineWriter(format: format, capacity: 256)
        writer.appendSample(name: "", suffix: "", labelNames: labelNames, labelValues: labelValues, value: value, exemplar: exemplar)
        var line = writer.bytes
        let quoted = Array(("{" + quotedName(name)).utf8)
        if labelNames.isEmpty {
            line.insert(contentsOf: quoted + [UInt8(ascii: "}")], at: 0)
        } else {
            line.replaceSubrange(0..<1, with: quoted + [UInt8(ascii: ",")])
        }
        return line
    }

    /// The labels with their names escaped, or nil when two names escape to one.
    private static func escapedLabels(_ labels: [String: String], _ escaping: NameEscaping) -> [String: String]? {
        var escaped = [String: String](minimumCapacity: labels.count)
        for (name, value) in labels where escaped.updateValue(value, forKey: escaping.escapedLabelName(name)) != nil {
            return nil
        }
        return escaped
    }

    /// The exemplar with its label names escaped, or quoted where they need it; of two names
    /// that escape to one, the value of the first in name order is kept.
    private static func escapedExemplar(_ exemplar: Exemplar, _ escaping: NameEscaping) -> Exemplar {
        var labels: [String: String] = [:]
        for (name, value) in exemplar.labels.sorted(by: { $0.key < $1.key }) {
            let written = writtenLabelName(escaping.escapedLabelName(name))
            if labels[written] == nil { labels[written] = value }
        }
        return Exemplar(checkedLabels: labels, value: exemplar.value, timestamp: exemplar.timestamp)
    }

    /// The family name as `# HELP` and `# TYPE` write it: quoted when it is not a legacy name
    /// (only `allow-utf-8` leaves such names).
    private static func writtenMetricName(_ name: String) -> String {
        NameEscaping.isLegacyMetricName(name) ? name : quotedName(name)
    }

    /// The label name as a label pair writes it: quoted when it is not a legacy name.
    private static func writtenLabelName(_ name: String) -> String {
        NameEscaping.isLegacyLabelName(name) ? name : quotedName(name)
    }

    /// `"name"`, with `\`, `"` and line feeds escaped as in label values.
    private static func quotedName(_ name: String) -> String {
        "\"" + LabelEscaping.escaped(name) + "\""
    }

    /// The spelling of a type in `format`; in 0.0.4 the OpenMetrics-only types are untyped.
    private static func typeName(_ type: ScrapedFamily.DeclaredType, in format: ExpositionFormat) -> String {
        switch (type, format) {
        case (.counter, _), (.gauge, _), (.histogram, _), (.summary, _), (_, .openmetrics): type.rawValue
        case (.gaugeHistogram, .prometheus), (.stateSet, .prometheus), (.info, .prometheus), (.unknown, .prometheus): "untyped"
        }
    }
}
