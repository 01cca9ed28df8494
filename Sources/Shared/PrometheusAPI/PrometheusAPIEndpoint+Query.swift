import PromQL

/// `/api/v1/query` and `/api/v1/query_range`: PromQL over the store, checked as Prometheus
/// checks it, in the same order, so a bad request gets the error Prometheus would give.
extension PrometheusAPIEndpoint {
    /// An instant query: `query` at `time` (now when absent), within `timeout`.
    func query(_ form: FormParameters) throws -> String {
        let time = try timeParameter(form, "time", default: Int64(clock.now() * 1000))
        guard APITime.isQueryable(time) else {
            throw APIError.invalidParameter("time", "\(quoted(form["time"] ?? "")) is out of range for a query: a time must be within 9.2e12 seconds of 1970")
        }
        let engine = try engine(timeout: form["timeout"])
        let expression = try parse(form["query"] ?? "", semantics: engine.semantics)
        let value = try evaluating { try engine.evaluate(expression, at: time) }
        try checkSize(of: value)
        return value.prometheusJSON(at: time)
    }

    /// A range query: `query` at every `step` from `start` through `end`, within `timeout`.
    func queryRange(_ form: FormParameters) throws -> String {
        let start = try requiredTime(form, "start")
        let end = try requiredTime(form, "end")
        guard end >= start else { throw APIError.invalidParameter("end", "end timestamp must not be before start time") }
        let step: Int64
        switch APITime.nanoseconds(form["step"] ?? "") {
        case .success(let nanoseconds): step = nanoseconds
        case .failure(let reason): throw APIError.invalidParameter("step", reason.description)
        }
        guard step > 0 else {
            throw APIError.invalidParameter("step", "zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        // Prometheus divides the span by the step in nanoseconds, allowing 11,000 steps (11,001 points).
        let (span, overflowed) = (end - start).multipliedReportingOverflow(by: 1_000_000)
        guard !overflowed, span / step <= Int64(PromQLEngine.maximumPointsPerSeries) else {
            throw APIError(.badData, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        // Timestamps are milliseconds, so a finer step can only repeat the same instant.
        let stepMilliseconds = step / 1_000_000
        guard stepMilliseconds > 0 || start == end else {
            throw APIError.invalidParameter("step", "a step must be at least 1ms, the resolution of timestamps")
        }
        let engine = try engine(timeout: form["timeout"])
        let expression = try parse(form["query"] ?? "", semantics: engine.semantics)
        let type = PromQLParser.type(of: expression)
        guard type == .scalar || type == .instantVector else {
            throw APIError(.badData, "invalid expression type \"\(type.rawValue)\" for range query, must be Scalar or instant Vector")
        }
        let value = try evaluating { try engine.evaluateRange(expression, start: start, end: end, step: max(stepMilliseconds, 1)) }
        try checkSize(of: value)
        return value.prometheusJSON(at: end)
    }

    /// The engine for one query: this endpoint's, with the request's `timeout` if it is shorter.
    private func engine(timeout: String?) throws -> PromQLEngine {
        var engine = self.engine
        guard let timeout, !timeout.isEmpty else { return engine }
        switch APITime.nanoseconds(timeout) {
        case .success(let nanoseconds): engine.timeoutSeconds = min(engine.timeoutSeconds, max(0, Double(nanoseconds) / 1e9))
        case .failure(let reason): throw APIError.invalidParameter("timeout", reason.description)
        }
        return engine
    }

    /// `query` parsed, or `bad_data` saying why it does not parse.
    private func parse(_ query: String, semantics: PromQLSemantics) throws -> PromQLExpression {
        do {
            return try PromQLParser.parse(query, semantics: semantics)
        } catch {
            throw APIError.invalidParameter("query", "\(error)")
        }
    }

    /// What `evaluate` returns, or its error as Prometheus types it: running out of time is a
    /// `timeout`, anything else that stops a valid query an `execution` error.
    private func evaluating(_ evaluate: () throws -> PromQLValue) throws -> PromQLValue {
        do {
            return try evaluate()
        } catch let error as PromQLError {
            if error.message.hasPrefix("query timed out") { throw APIError(.timeout, error.message) }
            // The engine allows one point fewer than the API (10,999 steps): the span was checked above.
            if error.message.hasPrefix("exceeded maximum resolution") { throw APIError(.badData, error.message) }
            throw APIError(.execution, error.message)
        } catch {
            throw APIError(.internal, "\(error)")
        }
    }

    /// Refuses an answer with more series or points than `limits` allow.
    private func checkSize(of value: PromQLValue) throws {
        let series: Int, points: Int
        switch value {
        case .scalar, .string: return
        case .vector(let elements): (series, points) = (elements.count, elements.count)
        case .matrix(let matrix): (series, points) = (matrix.count, matrix.reduce(0) { $0 + $1.samples.count })
        }
        if series > limits.maximumSeries {
            throw APIError(.execution, "the answer has \(series) series, more than the limit of \(limits.maximumSeries); select fewer series or aggregate them (sum by (…))")
        }
        if points > limits.maximumPoints {
            throw APIError(.execution, "the answer has \(points) points, more than the limit of \(limits.maximumPoints); shorten the range, lengthen the step or select fewer series")
        }
    }

    /// The time parameter `name` in milliseconds, or `fallback` when it is absent or empty.
    func timeParameter(_ form: FormParameters, _ name: String, default fallback: Int64) throws -> Int64 {
        guard let text = form[name], !text.isEmpty else { return fallback }
        switch APITime.milliseconds(text) {
        case .success(let milliseconds): return milliseconds
        case .failure(let reason): throw APIError.invalidParameter(name, "Invalid time value for '\(name)': \(reason)")
        }
    }

    /// The time parameter `name` of a range query, which must be there and within the engine's range.
    private func requiredTime(_ form: FormParameters, _ name: String) throws -> Int64 {
        switch APITime.milliseconds(form[name] ?? "") {
        case .success(let milliseconds) where APITime.isQueryable(milliseconds):
            return milliseconds
        case .success:
            throw APIError.invalidParameter(name, "\(quoted(form[name] ?? "")) is out of range for a query: a time must be within 9.2e12 seconds of 1970")
        case .failure(let reason):
            throw APIError.invalidParameter(name, reason.description)
        }
    }
}
