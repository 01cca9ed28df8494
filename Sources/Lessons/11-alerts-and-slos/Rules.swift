/// The workbook's recording and alerting rules, as written in
/// stack/prometheus/rules/workbook.rules.yml (a lesson test checks that the two agree).
public enum WorkbookRules {
    /// A recording rule: the query's answer is stored under a new metric name at every evaluation.
    public struct RecordingRule: Sendable {
        /// The name the result is stored under, `level:metric:operations`.
        public let record: String
        /// The PromQL expression evaluated.
        public let expr: String
    }

    /// An alerting rule: while its query returns a series, an alert is pending; once it has
    /// returned one for `holdMinutes` minutes in a row (the rule's `for`), the alert fires.
    struct AlertRule: Sendable {
        /// The alert's name, its `alertname` label.
        let alert: String
        /// The conditions joined by `and` in the rule: every one must hold.
        let conditions: [String]
        /// The rule's `for`, in minutes; 0 when it has none.
        let holdMinutes: Int
        /// The `severity` label: `page` wakes someone up, `ticket` waits for working hours.
        let severity: String
        /// The `long_window` label, which tells the two ErrorBudgetBurn rules apart.
        let longWindow: String?

        /// The rule's name as the demo prints it: `ErrorBudgetBurn (1h)`.
        var displayName: String {
            longWindow.map { "\(alert) (\($0))" } ?? alert
        }

        /// The rule's `expr` as the file writes it.
        var expr: String {
            conditions.joined(separator: " and ")
        }
    }

    /// The availability objective: 99.9 % of requests succeed.
    static let availabilityObjective = 0.999

    /// The recording rules, in the order Prometheus evaluates them.
    public static let recording: [RecordingRule] = [
        RecordingRule(record: "job:http_requests:rate5m", expr: "sum by (job, lesson) (rate(http_requests_total[5m]))"),
        RecordingRule(record: "job:http_request_errors:rate5m", expr: #"sum by (job, lesson) (rate(http_requests_total{code=~"5.."}[5m]))"#),
        RecordingRule(record: "job:http_request_errors:ratio_rate5m", expr: "job:http_request_errors:rate5m / job:http_requests:rate5m"),
        errorRatio(over: "30m"),
        errorRatio(over: "1h"),
        errorRatio(over: "6h"),
        RecordingRule(
            record: "job:http_requests_fast:ratio_rate5m",
            expr: #"sum by (job, lesson) (rate(http_request_duration_seconds_bucket{le="0.6"}[5m])) / sum by (job, lesson) (rate(http_request_duration_seconds_count[5m]))"#),
        RecordingRule(
            record: "job:http_request_duration_seconds:apdex_rate5m",
            expr: #"(sum by (job, lesson) (rate(http_request_duration_seconds_bucket{le="0.3"}[5m])) + sum by (job, lesson) (rate(http_request_duration_seconds_bucket{le="1.2"}[5m]))) / 2 / sum by (job, lesson) (rate(http_request_duration_seconds_count[5m]))"#),
    ]

    /// The alerting rules.
    static let alerts: [AlertRule] = [
        AlertRule(alert: "HighErrorRatio", conditions: ["job:http_request_errors:ratio_rate5m > 0.05"], holdMinutes: 5, severity: "ticket", longWindow: nil),
        AlertRule(alert: "LatencySLOBreach", conditions: ["job:http_requests_fast:ratio_rate5m < 0.99"], holdMinutes: 10, severity: "ticket", longWindow: nil),
        AlertRule(
            alert: "ApdexBelowTarget", conditions: ["job:http_request_duration_seconds:apdex_rate5m < 0.85"], holdMinutes: 10, severity: "ticket",
            longWindow: nil),
        AlertRule(
            alert: "ErrorBudgetBurn",
            conditions: ["job:http_request_errors:ratio_rate1h > (14.4 * 0.001)", "job:http_request_errors:ratio_rate5m > (14.4 * 0.001)"],
            holdMinutes: 0, severity: "page", longWindow: "1h"),
        AlertRule(
            alert: "ErrorBudgetBurn",
            conditions: ["job:http_request_errors:ratio_rate6h > (6 * 0.001)", "job:http_request_errors:ratio_rate30m > (6 * 0.001)"],
            holdMinutes: 0, severity: "page", longWindow: "6h"),
    ]

    /// The error ratio over a longer window, straight from the counters.
    private static func errorRatio(over window: String) -> RecordingRule {
        RecordingRule(
            record: "job:http_request_errors:ratio_rate\(window)",
            expr: #"sum by (job, lesson) (rate(http_requests_total{code=~"5.."}[\#(window)])) / sum by (job, lesson) (rate(http_requests_total[\#(window)]))"#)
    }
}
