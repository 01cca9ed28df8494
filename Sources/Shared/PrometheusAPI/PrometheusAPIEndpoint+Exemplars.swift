import PromQL
import TimeSeries

/// `/api/v1/query_exemplars`: the exemplars of the series a query reads, as Prometheus answers
/// it with its exemplar storage on.
///
/// The query is parsed but not evaluated: every series selector in it (`rate(a[5m]) / b` has
/// two) picks series, and each picked series' exemplars with timestamps in `start`…`end` (by
/// default all time) come back, series sorted by labels, exemplars oldest first. A query that
/// reads no series (`1 + 1`) has no answer: Prometheus says 204 No Content.
extension PrometheusAPIEndpoint {
    func queryExemplars(_ form: FormParameters) throws -> String? {
        let start = try timeParameter(form, "start", default: .min)
        let end = try timeParameter(form, "end", default: .max)
        guard end >= start else { throw APIError(.badData, "end timestamp must not be before start timestamp") }
        let expression: PromQLExpression
        do {
            expression = try PromQLParser.parse(form["query"] ?? "", semantics: engine.semantics)
        } catch {
            throw APIError(.badData, "\(error)")
        }
        let selectors = expression.selectorMatchers
        guard !selectors.isEmpty else { return nil }
        let found = engine.store.exemplars.select(anyOf: selectors, from: start, through: end)
        guard found.count <= limits.maximumSeries else {
            throw APIError(.execution, "exemplars of more than \(limits.maximumSeries) series match; narrow the query or the time range")
        }
        let ordered = found.sorted { inPrometheusOrder($0.seriesLabels, $1.seriesLabels) }
        return jsonArray(ordered.map { series in
            jsonObject([
                (name: "seriesLabels", value: jsonLabels(series.seriesLabels)),
                (name: "exemplars", value: jsonArray(series.exemplars.map { exemplar in
                    jsonObject([
                        (name: "labels", value: jsonLabels(exemplar.labels)),
                        (name: "value", value: jsonString(jsonValue(exemplar.value))),
                        (name: "timestamp", value: jsonTime(exemplar.timestamp)),
                    ])
                })),
            ])
        })
    }
}
