extension LessonInfo {
    /// Lesson 11: Recording and alerting rules for error ratio, latency SLO, Apdex and burn rate, unit-tested with promtool.
    public static let alertsAndSlos = LessonInfo(
        number: 11, slug: "alerts-and-slos", title: "Alerts and SLOs",
        concept: "Recording and alerting rules for error ratio, latency SLO, Apdex and burn rate, unit-tested with promtool",
        hint: "Throw InvalidObjective(slo: slo) unless slo > 0 && slo < 1 (written that way, a NaN slo throws too). With budget = 1 - slo, "
            + "page only when both ratio / budget are > 14.4, strictly: exactly 14.4 must not page, and neither must a NaN ratio "
            + "(a window without requests; compare it as it is, without turning it into 0 or 1 first).",
        dashboard: "Apdex")
}
