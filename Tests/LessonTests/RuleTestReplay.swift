import Foundation
import TimeSeries
import PromQL
import TestSupport

/// `promtool test rules`, replayed through the workbook's PromQL engine in either
/// Prometheus's 2 or 3 semantics.
///
/// No Prometheus 3 `promtool` can be installed here, so the stack's rule tests are checked
/// for 3.x this way: the replay in `.prometheus2` mode is first held against the real
/// promtool 2.42 (its results, written as a test file, must pass there), then the same
/// replay in `.prometheus3` mode must meet the committed expectations. It does what promtool
/// does: input series in promtool's expanding notation, one sample per `interval`; every
/// rule evaluated in file order at every `evaluation_interval` from 0 through the last
/// eval time, recorded results written back (with stale markers when a series vanishes);
/// alerts pending until their `for` has passed; annotations expanded for the templates the
/// workbook's rules use (`$labels.x`, `$value | humanizePercentage`, `$value | printf "%.3f"`).
struct RuleTestReplay {
    /// What the rules produced at one group's eval times, in the test file's order.
    struct GroupOutcome {
        var samples: [[(labels: LabelSet, value: Double)]] = []
        var alerts: [[FiredAlert]] = []
    }

    struct FiredAlert: Equatable {
        let labels: [String: String]
        let annotations: [String: String]
    }

    struct Unsupported: Error, CustomStringConvertible {
        let description: String
    }

    let rules: [[String: Any]]
    var tests: [String: Any]

    /// The rules of the file's only group, and the test file, both read through Python's YAML loader.
    init(rulesFile: String, testFile: String, python: String) throws {
        let rulesDocument = try Self.yaml(rulesFile, python: python)
        guard let groups = rulesDocument["groups"] as? [[String: Any]], groups.count == 1,
              let rules = groups[0]["rules"] as? [[String: Any]] else {
            throw Unsupported(description: "the replay reads one rule group")
        }
        self.rules = rules
        self.tests = try Self.yaml(testFile, python: python)
    }

    var groups: [[String: Any]] { tests["tests"] as? [[String: Any]] ?? [] }

    /// Runs every test group in the given semantics.
    func run(_ semantics: PromQLSemantics) throws -> [GroupOutcome] {
        let evaluationInterval = try Self.milliseconds(tests["evaluation_interval"] as? String ?? "1m")
        return try groups.map { try run($0, semantics: semantics, every: evaluationInterval) }
    }

    private func run(_ group: [String: Any], semantics: PromQLSemantics, every evaluationInterval: Int64) throws -> GroupOutcome {
        let store = SeriesStore()
        let interval = try Self.milliseconds(group["interval"] as? String ?? "1m")
        for input in group["input_series"] as? [[String: Any]] ?? [] {
            let labels = try Self.labels(input["series"] as! String)
            for (index, value) in try Self.expand(input["values"] as! String).enumerated() {
                guard let value else { continue }
                if value.isNaN, value.bitPattern == Self.staleMarker.bitPattern {
                    store.markStale(labels, timestamp: Int64(index) * interval)
                } else {
                    _ = store.append(labels, timestamp: Int64(index) * interval, value: value)
                }
            }
        }
        let exprTests = group["promql_expr_test"] as? [[String: Any]] ?? []
        let alertTests = group["alert_rule_test"] as? [[String: Any]] ?? []
        let alertTimes = try alertTests.map { try Self.milliseconds($0["eval_time"] as! String) }
        let exprTimes = try exprTests.map { try Self.milliseconds($0["eval_time"] as! String) }
        let end = (alertTimes + exprTimes).max() ?? 0

        let engine = PromQLEngine(store: store, semantics: semantics)
        var outcome = GroupOutcome(alerts: Array(repeating: [], count: alertTests.count))
        var recordedBefore: [Int: Set<LabelSet>] = [:]
        var active: [Int: [LabelSet: (since: Int64, alert: FiredAlert)]] = [:]
        var time: Int64 = 0
        while time <= end {
            var firing: [String: [FiredAlert]] = [:]
            for (index, rule) in rules.enumerated() {
                let elements = try Self.vector(engine.evaluate(rule["expr"] as! String, at: time))
                if let record = rule["record"] as? String {
                    var written = Set<LabelSet>()
                    for element in elements {
                        let labels = element.labels.setting(LabelSet.metricNameLabel, to: record)
                        _ = store.append(labels, timestamp: time, value: element.value)
                        written.insert(labels)
                    }
                    for gone in recordedBefore[index, default: []].subtracting(written) { store.markStale(gone, timestamp: time) }
                    recordedBefore[index] = written
                } else if let name = rule["alert"] as? String {
                    let hold = try (rule["for"] as? String).map(Self.milliseconds) ?? 0
                    let ruleLabels = rule["labels"] as? [String: String] ?? [:]
                    var now: [LabelSet: (since: Int64, alert: FiredAlert)] = [:]
                    for element in elements {
                        var labels = Dictionary(uniqueKeysWithValues: element.labels.droppingMetricName.labels.map { ($0.name, $0.value) })
                        let seriesLabels = labels
                        labels.merge(ruleLabels) { $1 }
                        let key = LabelSet(labels)
                        let annotations = try (rule["annotations"] as? [String: String] ?? [:]).mapValues {
                            try Self.expand(template: $0, labels: seriesLabels, value: element.value)
                        }
                        let since = active[index]?[key]?.since ?? time
                        now[key] = (since, FiredAlert(labels: labels, annotations: annotations))
                    }
                    active[index] = now
                    for (since, alert) in now.values where time - since >= hold {
                        firing[name, default: []].append(alert)
                    }
                }
            }
            for (index, test) in alertTests.enumerated() where alertTimes[index] == time {
                outcome.alerts[index] = firing[test["alertname"] as! String, default: []]
            }
            time += evaluationInterval
        }
        for (index, test) in exprTests.enumerated() {
            let elements = try Self.vector(engine.evaluate(test["expr"] as! String, at: exprTimes[index]))
            outcome.samples.append(elements.map { ($0.labels, $0.value) })
        }
        return outcome
    }

    /// Where the outcome differs from the test file's expectations, one line each.
    func differences(_ outcome: [GroupOutcome]) throws -> [String] {
        var found: [String] = []
        for (number, group) in groups.enumerated() {
            for (index, test) in (group["promql_expr_test"] as? [[String: Any]] ?? []).enumerated() {
                let expected = try (test["exp_samples"] as? [[String: Any]] ?? []).map {
                    (labels: try Self.labels($0["labels"] as! String), value: try Self.number($0["value"]))
                }
                let got = outcome[number].samples[index]
                let same = expected.count == got.count && expected.allSatisfy { wanted in
                    got.contains { $0.labels == wanted.labels && ($0.value == wanted.value || ($0.value.isNaN && wanted.value.isNaN)) }
                }
                if !same {
                    found.append("group \(number + 1), \(test["expr"]!) at \(test["eval_time"]!): expected \(expected.map { "\($0.labels) \($0.value)" }), got \(got.map { "\($0.labels) \($0.value)" })")
                }
            }
            for (index, test) in (group["alert_rule_test"] as? [[String: Any]] ?? []).enumerated() {
                let expected = (test["exp_alerts"] as? [[String: Any]] ?? []).map {
                    var labels = $0["exp_labels"] as? [String: String] ?? [:]
                    labels["alertname"] = test["alertname"] as? String
                    return FiredAlert(labels: labels, annotations: $0["exp_annotations"] as? [String: String] ?? [:])
                }
                let got = outcome[number].alerts[index].map {
                    var labels = $0.labels
                    labels["alertname"] = test["alertname"] as? String
                    return FiredAlert(labels: labels, annotations: $0.annotations)
                }
                let same = expected.count == got.count && expected.allSatisfy { got.contains($0) }
                if !same {
                    found.append("group \(number + 1), \(test["alertname"]!) at \(test["eval_time"]!): expected \(expected), got \(got)")
                }
            }
        }
        return found
    }

    /// The test file with every expectation replaced by the outcome, as a YAML document
    /// whose `rule_files` name `rulesPath`.
    func rewritten(with outcome: [GroupOutcome], rulesPath: String, python: String) throws -> String {
        var document = tests
        document["rule_files"] = [rulesPath]
        var rewrittenGroups = groups
        for number in rewrittenGroups.indices {
            var group = rewrittenGroups[number]
            if var exprTests = group["promql_expr_test"] as? [[String: Any]] {
                for index in exprTests.indices {
                    exprTests[index]["exp_samples"] = outcome[number].samples[index].map {
                        ["labels": Self.notation($0.labels), "value": "\($0.value)"] as [String: Any]
                    }
                }
                group["promql_expr_test"] = exprTests
            }
            if var alertTests = group["alert_rule_test"] as? [[String: Any]] {
                for index in alertTests.indices {
                    alertTests[index]["exp_alerts"] = outcome[number].alerts[index].map {
                        ["exp_labels": $0.labels, "exp_annotations": $0.annotations] as [String: Any]
                    }
                }
                group["alert_rule_test"] = alertTests
            }
            rewrittenGroups[number] = group
        }
        document["tests"] = rewrittenGroups
        let json = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
        let result = try runProcess(python, ["-c", Self.numbersAsText + "yaml.safe_dump(numbers(json.load(sys.stdin)), sys.stdout, sort_keys=False)"], input: json, timeout: 60)
        guard result.status == 0 else { throw Unsupported(description: "python: \(result.stderr)") }
        return result.stdout
    }

    // MARK: promtool's notations

    /// promtool's stale marker, the NaN Prometheus writes when a series ends.
    static let staleMarker = Double(bitPattern: 0x7ff0_0000_0000_0002)

    /// promtool's expanding notation: `a+bxn` and `a-bxn` (n+1 values), `axn` (a, n+1 times),
    /// `_` (no sample), `_xn` (n of them), `stale`, and plain numbers. Nil is a missing sample.
    static func expand(_ text: String) throws -> [Double?] {
        var values: [Double?] = []
        for token in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            if token == "_" { values.append(nil); continue }
            if token == "stale" { values.append(staleMarker); continue }
            if let number = Double(token) { values.append(number); continue }
            guard let times = token.range(of: "x", options: .backwards), let count = Int(token[times.upperBound...]), count >= 0 else {
                throw Unsupported(description: "series value \(token)")
            }
            let head = String(token[..<times.lowerBound])
            if head == "_" { values += Array(repeating: nil, count: count); continue }
            if let start = Double(head) { values += Array(repeating: start, count: count + 1); continue }
            guard let sign = head.dropFirst().firstIndex(where: { $0 == "+" || $0 == "-" }),
                  let start = Double(head[..<sign]), let step = Double(head[head.index(after: sign)...]) else {
                throw Unsupported(description: "series value \(token)")
            }
            let signed = head[sign] == "+" ? step : -step
            values += (0...count).map { start + Double($0) * signed }
        }
        return values
    }

    /// `name{a="b"}` as a label set, read with the PromQL parser's selector syntax.
    static func labels(_ notation: String) throws -> LabelSet {
        guard case .vectorSelector(let selector) = try PromQLParser.parse(notation) else {
            throw Unsupported(description: "series \(notation)")
        }
        var pairs: [String: String] = [:]
        for matcher in selector.matchers {
            guard matcher.kind == .equal else { throw Unsupported(description: "series \(notation)") }
            pairs[matcher.name] = matcher.value
        }
        return LabelSet(pairs)
    }

    static func notation(_ labels: LabelSet) -> String {
        let pairs = labels.droppingMetricName.labels.map { "\($0.name)=\"\($0.value)\"" }
        return labels.metricName + "{" + pairs.joined(separator: ",") + "}"
    }

    static func milliseconds(_ duration: String) throws -> Int64 {
        if duration == "0" || duration == "0s" { return 0 }
        guard case .matrixSelector(_, let range) = try PromQLParser.parse("x[\(duration)]") else {
            throw Unsupported(description: "duration \(duration)")
        }
        return range
    }

    /// The three template forms the workbook's annotations use, and nothing else.
    static func expand(template: String, labels: [String: String], value: Double) throws -> String {
        var text = template
        while let open = text.range(of: "{{"), let close = text.range(of: "}}", range: open.upperBound..<text.endIndex) {
            let action = text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let replacement: String
            if action.hasPrefix("$labels.") {
                replacement = labels[String(action.dropFirst("$labels.".count))] ?? ""
            } else if action == "$value | humanizePercentage" {
                replacement = String(format: "%.4g%%", value * 100)
            } else if action == #"$value | printf "%.3f""# {
                replacement = String(format: "%.3f", value)
            } else {
                throw Unsupported(description: "template action \(action)")
            }
            text.replaceSubrange(open.lowerBound..<close.upperBound, with: replacement)
        }
        return text
    }

    private static func vector(_ value: PromQLValue) throws -> [(labels: LabelSet, value: Double)] {
        switch value {
        case .vector(let elements): elements.map { ($0.labels, $0.value) }
        case .scalar(let number): [(LabelSet([:]), number)]
        default: throw Unsupported(description: "a rule gave \(value)")
        }
    }

    /// Numbers cross between Python and Swift as text, since Foundation's JSON reader may
    /// round a double's last digit: `text` turns YAML's numbers into their shortest exact
    /// spelling, `numbers` turns `value` fields back into floats for promtool.
    private static let numbersAsText = """
        import json, sys, yaml
        def text(node):
            if isinstance(node, dict): return {key: text(value) for key, value in node.items()}
            if isinstance(node, list): return [text(value) for value in node]
            if isinstance(node, (int, float)) and not isinstance(node, bool): return repr(node)
            return node
        def numbers(node):
            if isinstance(node, dict): return {key: float(value) if key == "value" else numbers(value) for key, value in node.items()}
            if isinstance(node, list): return [numbers(value) for value in node]
            return node

        """

    static func number(_ field: Any?) throws -> Double {
        guard let text = field as? String, let number = Double(text) else { throw Unsupported(description: "value \(String(describing: field))") }
        return number
    }

    private static func yaml(_ path: String, python: String) throws -> [String: Any] {
        let result = try runProcess(python, ["-c", Self.numbersAsText + "json.dump(text(yaml.safe_load(open(sys.argv[1]))), sys.stdout)", path], timeout: 60)
        guard result.status == 0, let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw Unsupported(description: "\(path): \(result.stderr)")
        }
        return document
    }
}
