import PromQL
import TimeSeries

/// `/api/v1/series`, `/api/v1/labels` and `/api/v1/label/<name>/values`: what is in the store,
/// for a query editor's autocompletion and for exploring, without evaluating a query.
///
/// Each looks at the series with at least one sample between `start` and `end` (by default
/// all of them) that match any of the `match[]` selectors (required for `/series`, optional
/// for the others).
extension PrometheusAPIEndpoint {
    /// Every matching label set, sorted.
    func series(_ form: FormParameters) throws -> String {
        let selectors = form.values(for: "match[]")
        guard !selectors.isEmpty else { throw APIError(.badData, "no match[] parameter provided") }
        let found = try matchingSeries(form, selectors: selectors)
        return jsonArray(found.map(jsonLabels))
    }

    /// Every label name of the matching series, `__name__` included, sorted.
    func labelNames(_ form: FormParameters) throws -> String {
        let found = try matchingSeries(form, selectors: form.values(for: "match[]"))
        let names = Set(found.flatMap { $0.labels.map(\.name) })
        return jsonArray(names.sorted(by: inByteOrder).map(jsonString))
    }

    /// Every value label `name` takes in the matching series, sorted.
    func labelValues(_ name: String, _ form: FormParameters) throws -> String {
        guard LabelSet.isValidLabelName(name) else { throw APIError(.badData, "invalid label name: \(quoted(name))") }
        let found = try matchingSeries(form, selectors: form.values(for: "match[]"))
        let values = Set(found.map { $0[name] }.filter { !$0.isEmpty })
        return jsonArray(values.sorted(by: inByteOrder).map(jsonString))
    }

    /// The label sets with a sample in the request's `start`…`end` that match any of
    /// `selectors` (every series when there are none), sorted and capped by `limits.maximumSeries`.
    private func matchingSeries(_ form: FormParameters, selectors: [String]) throws -> [LabelSet] {
        let start = try timeParameter(form, "start", default: .min)
        let end = try timeParameter(form, "end", default: .max)
        let matcherSets = try selectors.map(matchers)
        var found = Set<LabelSet>()
        for matchers in matcherSets.isEmpty ? [[]] : matcherSets {
            for series in engine.store.select(matchers, from: start, through: end) {
                found.insert(series.labels)
                if found.count > limits.maximumSeries {
                    throw APIError(.execution, "more than \(limits.maximumSeries) series match; narrow match[] or the time range")
                }
            }
        }
        return found.sorted(by: inPrometheusOrder)
    }

    /// The matchers of a series selector (`up{job="api"}`), as `match[]` takes them.
    private func matchers(_ selector: String) throws -> [LabelMatcher] {
        let expression: PromQLExpression
        do {
            expression = try PromQLParser.parse(selector, semantics: engine.semantics)
        } catch {
            throw APIError.invalidParameter("match[]", "\(error)")
        }
        guard case .vectorSelector(let parsed) = expression, parsed.offsetMilliseconds == 0, parsed.at == nil else {
            throw APIError.invalidParameter("match[]", "\(quoted(selector)) is not a series selector such as up{job=\"api\"}")
        }
        // A selector every series matches (`{job=~".*"}`) would list the whole store.
        guard parsed.matchers.contains(where: { !$0.matches("") }) else {
            throw APIError.invalidParameter("match[]", "match[] must contain at least one non-empty matcher")
        }
        return parsed.matchers
    }
}
