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
    /// for each family left out because its type disagreed.
    public static func merge(_ sources: [Source], format: ExpositionFormat = .prometheus) -> (text: [UInt8], conflicts: [String]) {
        var order: [String] = []
        var merged: [String: (first: ScrapedFamily, samples: [(ScrapedSample, [String: String])])] = [:]
        var conflicts: [String] = []
        for source in sources {
            for family in source.families {
                if let existing = merged[family.name] {
                    guard existing.first.type == family.type else {
                        conflicts.append("\(family.name) is a \(family.type.rawValue) in \(source.labels) but a \(existing.first.type.rawValue) elsewhere; left out")
                        continue
                    }
                } else {
                    order.append(family.name)
                    merged[family.name] = (family, [])
                }
                merged[family.name]!.samples += family.samples.map { ($0, source.labels) }
            }
        }
        var writer = SampleLineWriter(format: format, capacity: 64 * 1024)
        for name in order {
            let (family, samples) = merged[name]!
            if let help = family.help, !help.isEmpty { writer.appendComment("HELP", name: name, text: help, escapeText: true) }
            writer.appendComment("TYPE", name: name, text: typeName(family.type, in: format))
            if format == .openmetrics, let unit = family.unit, !unit.isEmpty { writer.appendComment("UNIT", name: name, text: unit) }
            for (sample, extra) in samples {
                var labels = sample.labels
                labels.merge(extra) { $1 }
                let names = labels.keys.sorted()
                writer.appendSample(
                    name: sample.name, suffix: "", labelNames: names, labelValues: names.map { labels[$0]! }, value: sample.value,
                    exemplar: format == .openmetrics ? sample.exemplar : nil)
            }
        }
        if format == .openmetrics { writer.appendRaw("# EOF\n") }
        return (writer.bytes, conflicts)
    }

    /// The spelling of a type in `format`; in 0.0.4 the OpenMetrics-only types are untyped.
    private static func typeName(_ type: ScrapedFamily.DeclaredType, in format: ExpositionFormat) -> String {
        switch (type, format) {
        case (.counter, _), (.gauge, _), (.histogram, _), (.summary, _), (_, .openmetrics): type.rawValue
        case (.gaugeHistogram, .prometheus), (.stateSet, .prometheus), (.info, .prometheus), (.unknown, .prometheus): "untyped"
        }
    }
}
