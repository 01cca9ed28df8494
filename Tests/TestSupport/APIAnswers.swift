import Foundation

/// Two answers of Prometheus's HTTP API compared as the differential tests compare them: the
/// decoded JSON must be the same, result series in any order, sample times within a
/// microsecond and values within 1e-9 relative (NaN equals NaN).
public enum APIAnswers {
    /// A decoded answer with a query result's series in a fixed order.
    public static func normalized(_ object: [String: Any]) -> [String: Any] {
        guard var data = object["data"] as? [String: Any], let result = data["result"] as? [[String: Any]] else { return object }
        func key(_ item: [String: Any]) -> String {
            let metric = item["metric"] ?? [:]
            return (try? JSONSerialization.data(withJSONObject: metric, options: .sortedKeys)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        data["result"] = result.sorted { key($0) < key($1) }
        var copy = object
        copy["data"] = data
        return copy
    }

    /// Appends to `differences` where `ours` and `theirs` differ and returns how many sample
    /// values were compared: a `[time, "value"]` pair's time must be equal (within a
    /// microsecond) and its value within 1e-9 relative (NaN equals NaN); all else equal.
    public static func compare(_ ours: Any, _ theirs: Any, at path: String, into differences: inout [String]) -> Int {
        switch (ours, theirs) {
        case (let ours as [String: Any], let theirs as [String: Any]):
            guard Set(ours.keys) == Set(theirs.keys) else {
                differences.append("\(path): keys \(ours.keys.sorted()) against \(theirs.keys.sorted())")
                return 0
            }
            return ours.keys.sorted().reduce(0) { $0 + compare(ours[$1]!, theirs[$1]!, at: path + "." + $1, into: &differences) }
        case (let ours as [Any], let theirs as [Any]):
            guard ours.count == theirs.count else {
                differences.append("\(path): \(ours.count) items against \(theirs.count): \(ours.prefix(3)) against \(theirs.prefix(3))")
                return 0
            }
            if ours.count == 2, let ourTime = ours[0] as? NSNumber, let ourValue = ours[1] as? String,
               let theirTime = theirs[0] as? NSNumber, let theirValue = theirs[1] as? String {
                if Swift.abs(ourTime.doubleValue - theirTime.doubleValue) > 1e-6 { differences.append("\(path): time \(ourTime) against \(theirTime)") }
                guard let a = Double(goNumber(ourValue)), let b = Double(goNumber(theirValue)) else {
                    if ourValue != theirValue { differences.append("\(path): \(ourValue) against \(theirValue)") }
                    return 1
                }
                if relativeDifference(a, b) > 1e-9 { differences.append("\(path): value \(ourValue) against \(theirValue)") }
                return 1
            }
            return zip(ours, theirs).enumerated().reduce(0) { $0 + compare($1.1.0, $1.1.1, at: path + "[\($1.0)]", into: &differences) }
        case (let ours as String, let theirs as String):
            if ours != theirs { differences.append("\(path): \(ours) against \(theirs)") }
            return 0
        case (let ours as NSNumber, let theirs as NSNumber):
            if ours != theirs { differences.append("\(path): \(ours) against \(theirs)") }
            return 0
        default:
            differences.append("\(path): \(ours) against \(theirs)")
            return 0
        }
    }

    /// Go's spellings of the special values, as Swift reads them.
    static func goNumber(_ text: String) -> String {
        switch text {
        case "+Inf": "inf"
        case "-Inf": "-inf"
        case "NaN": "nan"
        default: text
        }
    }

    /// How far apart two values are: relative to the larger, or absolute near zero.
    static func relativeDifference(_ a: Double, _ b: Double) -> Double {
        if a.isNaN && b.isNaN || a == b { return 0 }
        if a.isNaN || b.isNaN || a.isInfinite || b.isInfinite { return .infinity }
        return Swift.abs(a - b) / max(Swift.abs(a), Swift.abs(b), 1e-6)
    }
}
