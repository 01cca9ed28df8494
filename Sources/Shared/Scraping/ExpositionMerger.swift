import Instrumentation

/// Merges the expositions of several targets into one, each sample labelled with where it came from.
///
/// This is what `lesson serve all` answers on `/metrics`: every lesson's registry runs in
/// its own process, and one endpoint gathers them, adding `lesson="05-histogram-buckets"`
/// (or whatever labels a source is given) to each sample. Families with the same name
/// from different sources become one family: the first source's HELP and TYPE win, and
/// a family whose TYPE disagrees with the first is left out and reported, since one name
/// may have only one type. The result is Prometheus text 0.0.4, read from 0.0.4 input.
public enum ExpositionMerger {
    /// One source: labels to add to each of its samples, and the families read from it in the 0.0.4 format.
    public struct Source: Sendable {
        public let labels: [String: String]
        public let families: [ScrapedFamily]

        public init(labels: [String: String], families: [ScrapedFamily]) {
            self.labels = labels
            self.families = families
        }
    }

    /// The merged 0.0.4 exposition, and a line for each family left out because its type disagreed.
    public static func merge(_ sources: [Source]) -> (text: [UInt8], conflicts: [String]) {
        var order: [String] = []
        var merged: [String: (type: ScrapedFamily.DeclaredType, help: String?, samples: [(ScrapedSample, [String: String])])] = [:]
        var conflicts: [String] = []
        for source in sources {
            for family in source.families {
                if let existing = merged[family.name] {
                    guard existing.type == family.type else {
                        conflicts.append("\(family.name) is a \(family.type.rawValue) in \(source.labels) but a \(existing.type.rawValue) elsewhere; left out")
                        continue
                    }
                } else {
                    order.append(family.name)
                    merged[family.name] = (family.type, family.help, [])
                }
                merged[family.name]!.samples += family.samples.map { ($0, source.labels) }
            }
        }
        var writer = SampleLineWriter(format: .prometheus, capacity: 64 * 1024)
        for name in order {
            let family = merged[name]!
            if let help = family.help, !help.isEmpty { writer.appendComment("HELP", name: name, text: help, escapeText: true) }
            writer.appendComment("TYPE", name: name, text: typeName(family.type))
            for (sample, extra) in family.samples {
                var labels = sample.labels
                labels.merge(extra) { $1 }
                let names = labels.keys.sorted()
                writer.appendSample(name: sample.name, suffix: "", labelNames: names, labelValues: names.map { labels[$0]! }, value: sample.value)
            }
        }
        return (writer.bytes, conflicts)
    }

    /// The 0.0.4 spelling of a type; the OpenMetrics-only types are untyped there.
    private static func typeName(_ type: ScrapedFamily.DeclaredType) -> String {
        switch type {
        case .counter, .gauge, .histogram, .summary: type.rawValue
        case .gaugeHistogram, .stateSet, .info, .unknown: "untyped"
        }
    }
}
