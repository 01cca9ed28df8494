import Instrumentation

/// Small charts drawn with Unicode block characters, for lesson demos in a terminal.
///
/// Everything returns a `String`, so a demo passes it to its narrator and a test can
/// compare it with the expected drawing.
public enum TerminalChart {
    private static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
    private static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// A horizontal bar `width` cells long at `maximum`, drawn to an eighth of a cell.
    public static func bar(_ value: Double, maximum: Double, width: Int = 40) -> String {
        guard maximum > 0, value > 0, value.isFinite else { return "" }
        let eighthsTotal = Int((min(value, maximum) / maximum * Double(width * 8)).rounded())
        let full = String(repeating: "█", count: eighthsTotal / 8)
        let rest = eighthsTotal % 8
        return rest == 0 ? full : full + String(eighths[rest - 1])
    }

    /// Labelled bars, one per row, scaled to the largest value, each followed by its value.
    ///
    ///     GET   ████████████████████ 40
    ///     POST  ██████████▏ 20.5
    public static func bars(_ rows: [(label: String, value: Double)], width: Int = 40) -> String {
        let maximum = rows.map(\.value).filter(\.isFinite).max() ?? 0
        let labelWidth = rows.map(\.label.count).max() ?? 0
        return rows.map { row in
            let padding = String(repeating: " ", count: labelWidth - row.label.count)
            let drawn = bar(row.value, maximum: maximum, width: width)
            return "\(row.label)\(padding)  \(drawn)\(drawn.isEmpty ? "" : " ")\(formatSampleValue(row.value, for: .prometheus))"
        }.joined(separator: "\n") + "\n"
    }

    /// One character per value, from ▁ (the lowest) to █ (the highest); a space for NaN.
    ///
    ///     ▁▂▄▆█▆▄▂▁
    public static func sparkline(_ values: [Double]) -> String {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return String(repeating: " ", count: values.count) }
        return String(values.map { value -> Character in
            guard value.isFinite else { return " " }
            guard high > low else { return levels[levels.count / 2] }
            let index = Int(((value - low) / (high - low) * Double(levels.count - 1)).rounded())
            return levels[index]
        })
    }

    /// A histogram's cumulative buckets as a ladder: one row per `le`, each bar holding every
    /// observation at or below its bound, so the bars only ever grow towards `+Inf`.
    ///
    ///     le="0.1"   ██████▍ 4
    ///     le="0.5"   ████████████▊ 8
    ///     le="+Inf"  ████████████████████ 12
    public static func bucketLadder(_ histogram: HistogramSnapshot, width: Int = 40) -> String {
        let rows = histogram.cumulativeCounts.enumerated().map { index, count in
            let bound = index < histogram.upperBounds.count ? histogram.upperBounds[index] : .infinity
            return (label: "le=\"\(formatSampleValue(bound, for: .prometheus))\"", value: Double(count))
        }
        return bars(rows, width: width)
    }

    /// `text` followed by spaces up to `width` characters, and at least one: for columns.
    public static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }

    /// A scale to print under a sparkline: the marks 0, step, 2 × step … through `last`,
    /// one every `spacing` characters.
    ///
    ///     ruler(spacing: 5, step: 5, through: 15)   // "0    5    10   15"
    public static func ruler(spacing: Int, step: Int, through last: Int) -> String {
        stride(from: 0, through: last, by: step).map { mark in
            mark == last ? String(mark) : padded(String(mark), spacing)
        }.joined()
    }
}
