import PromQL

/// `/api/v1/metadata`, `/api/v1/targets` and `/api/v1/status/buildinfo`: what the caller
/// knows about its families, its scrapes and itself.
extension PrometheusAPIEndpoint {
    /// `{"family":[{"type":…,"help":…,"unit":…}],…}` for the families `metadata` provides,
    /// only `metric` if given, at most `limit` families if given.
    func metricMetadata(_ form: FormParameters) throws -> String {
        var limit = -1
        if let text = form["limit"], !text.isEmpty {
            guard let number = Int(text) else { throw APIError(.badData, "limit must be a number") }
            limit = number
        }
        let metric = form["metric"] ?? ""
        var byName: [String: [MetricMetadata]] = [:]
        for entry in metadata?.metricMetadata() ?? [] where metric.isEmpty || entry.name == metric {
            if byName[entry.name]?.contains(entry) != true { byName[entry.name, default: []].append(entry) }
        }
        var names = byName.keys.sorted(by: inByteOrder)
        if limit >= 0 { names = Array(names.prefix(limit)) }
        return jsonObject(names.map { name in
            let entries = byName[name]!.map { entry in
                jsonObject([("type", jsonString(entry.type)), ("help", jsonString(entry.help)), ("unit", jsonString(entry.unit))])
            }
            return (name: name, value: jsonArray(entries))
        })
    }

    /// `{"activeTargets":[…],"droppedTargets":[]}`: the provided targets, filtered by `state`
    /// (`active`, `dropped` or `any`; this API knows of no dropped targets) and `scrapePool`.
    func targetList(_ form: FormParameters) -> String {
        let state = (form["state"] ?? "").lowercased()
        let pool = form["scrapePool"] ?? ""
        let showActive = state.isEmpty || state == "any" || state == "active"
        let active = showActive ? (targets?.activeTargets() ?? []).filter { pool.isEmpty || $0.scrapePool == pool } : []
        let items = active.map { target in
            let duration = target.lastScrapeDuration.isFinite ? target.lastScrapeDuration : 0
            return jsonObject([
                ("discoveredLabels", jsonObject(target.discoveredLabels)),
                ("labels", jsonObject(target.labels)),
                ("scrapePool", jsonString(target.scrapePool)),
                ("scrapeUrl", jsonString(target.scrapeURL)),
                ("globalUrl", jsonString(target.globalURL)),
                ("lastError", jsonString(target.lastError)),
                // Go writes a time never set as the year 1.
                ("lastScrape", jsonString(target.lastScrape.map(APITime.rfc3339) ?? "0001-01-01T00:00:00Z")),
                ("lastScrapeDuration", jsonValue(duration)),
                ("health", jsonString(target.health.rawValue)),
                ("scrapeInterval", jsonString(target.scrapeInterval)),
                ("scrapeTimeout", jsonString(target.scrapeTimeout)),
            ])
        }
        return jsonObject([("activeTargets", jsonArray(items)), ("droppedTargets", "[]")])
    }

    /// `{"version":…,"revision":…,…}`.
    var buildInfoJSON: String {
        jsonObject([
            ("version", jsonString(buildInfo.version)), ("revision", jsonString(buildInfo.revision)),
            ("branch", jsonString(buildInfo.branch)), ("buildUser", jsonString(buildInfo.buildUser)),
            ("buildDate", jsonString(buildInfo.buildDate)), ("goVersion", jsonString(buildInfo.goVersion)),
        ])
    }
}
