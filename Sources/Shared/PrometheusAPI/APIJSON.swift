import PromQL
import TimeSeries

// The few JSON shapes the endpoints write beyond PromQL's values (`PromQLValue.prometheusJSON`),
// built from PromQL's `jsonString` and `jsonLabels` so every string is escaped one way.

/// `[a,b,c]` from items already in JSON.
func jsonArray(_ items: [String]) -> String {
    "[" + items.joined(separator: ",") + "]"
}

/// `{"name":value,…}` from names and values already in JSON, in the order given.
func jsonObject(_ members: [(name: String, value: String)]) -> String {
    "{" + members.map { jsonString($0.name) + ":" + $0.value }.joined(separator: ",") + "}"
}

/// A dictionary of strings as a JSON object, its keys in byte order as Go writes a map.
func jsonObject(_ dictionary: [String: String]) -> String {
    jsonObject(dictionary.sorted { inByteOrder($0.key, $1.key) }.map { (name: $0.key, value: jsonString($0.value)) })
}

/// Whether `first` sorts before `second` comparing UTF-8 bytes, as Go compares strings
/// (Swift's `<` compares by Unicode rules, which order some non-ASCII text differently).
func inByteOrder(_ first: String, _ second: String) -> Bool {
    first.utf8.lexicographicallyPrecedes(second.utf8)
}

/// Whether series `first` sorts before `second` as Prometheus sorts label sets: label by label,
/// names then values, comparing bytes.
func inPrometheusOrder(_ first: LabelSet, _ second: LabelSet) -> Bool {
    first.labels.lexicographicallyPrecedes(second.labels) { a, b in
        a.name != b.name ? inByteOrder(a.name, b.name) : inByteOrder(a.value, b.value)
    }
}
