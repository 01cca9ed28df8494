import Instrumentation
import TimeSeries
import PromQL
import WorkbookKit

/// The narrated demo of lesson 11: the workbook's recording and alerting rules, evaluated once
/// a minute over a simulated service that goes through an outage and a latency incident.
enum AlertsAndSlosDemo {
    /// When the demo's clock starts (seconds since the epoch): a whole hour.
    static let startTime = 1_699_999_200.0
    /// Requests per second, in the demo and while `lesson serve` runs.
    static let requestsPerSecond = 5
    /// The labels a scrape of the service adds to every series.
    static let target = ["job": "workbook", "instance": "127.0.0.1:3001"]
    /// Healthy minutes before the timeline starts, so that even the 6-hour window holds real history.
    static let historyMinutes = 360
    /// The minutes the timeline shows.
    static let timelineMinutes = 150
    /// Timeline minutes in which 10 % of requests fail.
    static let outage = 20..<35
    /// Timeline minutes in which requests are slow.
    static let slowness = 90..<120

    /// An alert's state at one evaluation.
    enum AlertState: Equatable {
        /// The expression returns nothing for this alert.
        case inactive
        /// The expression returns it, for less time than the rule's `for` so far.
        case pending
        /// The expression has returned it for at least the rule's `for`: Alertmanager is told.
        case firing
    }

    /// What the rules said at one evaluation.
    struct Evaluation {
        /// Minutes since the timeline started.
        let minute: Int
        /// Each recording rule's value, by the name it is recorded under.
        let recorded: [String: Double]
        /// Each alerting rule's state, in the order of `WorkbookRules.alerts`.
        let states: [AlertState]
        /// Each alerting rule's value, nil when its expression returned nothing.
        let values: [Double?]
    }

    /// Runs the demo and returns the registry the simulated service recorded into.
    static func run(_ narrator: Narrator) throws -> Registry {
        let clock = ManualClock(startTime)
        let registry = Registry(clock: clock)
        let evaluations = try runTheService(registry: registry, clock: clock)
        narrateTheBudget(narrator)
        narrateTheRecordingRules(evaluations[10], narrator)
        narrateTheAlertingRules(narrator)
        narrateTheTimeline(evaluations, narrator)
        narrateTheTwoWindows(evaluations, narrator)
        return registry
    }

    /// What the service goes through at a timeline minute; before the timeline, it is healthy.
    static func condition(atTimelineMinute minute: Int) -> ServiceTraffic.Condition {
        if outage.contains(minute) { return .outage }
        if slowness.contains(minute) { return .slow }
        return .healthy
    }

    /// One second of `lesson serve`: the clock moves on a second and the service answers a few
    /// requests. Every 90 minutes there is an outage (minutes 30 to 45) and a slow spell (60 to
    /// 80), so Prometheus, evaluating the rules, shows each alert pending, firing and resolved.
    static func simulate(_ registry: Registry, tick: Int) throws {
        (registry.clock as? ManualClock)?.advance(by: 1)
        var random = SeededRandom(seed: 11_000 &+ UInt64(tick))
        let minute = (tick / 60) % 90
        let condition: ServiceTraffic.Condition = (30..<45).contains(minute) ? .outage : (60..<80).contains(minute) ? .slow : .healthy
        try ServiceTraffic(registry).serve(requestsPerSecond, during: condition, random: &random)
    }

    // MARK: Running the service and the rules

    /// Six healthy hours, then the timeline: requests every second, a scrape every 30 seconds,
    /// and from the timeline's start the rules evaluated every minute, as Prometheus would.
    static func runTheService(registry: Registry, clock: ManualClock) throws -> [Evaluation] {
        let service = try ServiceTraffic(registry)
        let store = SeriesStore()
        let engine = PromQLEngine(store: store)
        var random = SeededRandom(seed: 11)
        var activeSince = [Int?](repeating: nil, count: WorkbookRules.alerts.count)
        var evaluations: [Evaluation] = []
        let lastSecond = (historyMinutes + timelineMinutes) * 60
        for second in 0...lastSecond {
            clock.set(to: startTime + Double(second))
            let now = Int64(second) * 1000 + Int64(startTime) * 1000
            let minute = second / 60 - historyMinutes
            if second % 30 == 0 {
                store.ingest(registry.collect(), at: now, labels: target)
            }
            if second % 60 == 0, minute >= 0 {
                evaluations.append(try evaluateTheRules(engine, store, &activeSince, minute: minute, at: now))
            }
            guard second < lastSecond else { break }
            service.serve(requestsPerSecond, during: condition(atTimelineMinute: minute), random: &random)
        }
        return evaluations
    }

    /// One evaluation: every recording rule in order, its answer stored as a new series, then
    /// every alerting rule, whose state follows from how long its expression has held.
    private static func evaluateTheRules(
        _ engine: PromQLEngine, _ store: SeriesStore, _ activeSince: inout [Int?], minute: Int, at time: Int64
    ) throws -> Evaluation {
        var recorded: [String: Double] = [:]
        for rule in WorkbookRules.recording {
            for element in try vector(engine, rule.expr, at: time) {
                // The answer is stored like a scraped sample, under the rule's name: the rules
                // below, and the alerts, read it back with an ordinary selector.
                store.append(element.labels.setting(LabelSet.metricNameLabel, to: rule.record), timestamp: time, value: element.value)
                recorded[rule.record] = element.value
            }
        }
        var states: [AlertState] = []
        var values: [Double?] = []
        for (index, rule) in WorkbookRules.alerts.enumerated() {
            let value = try alertValue(rule, engine, at: time)
            values.append(value)
            // Pending from the first evaluation that returns a series; firing once that has lasted
            // the rule's `for`; back to inactive (resolved) at the first evaluation returning nothing.
            if value == nil {
                activeSince[index] = nil
                states.append(.inactive)
                continue
            }
            let since = activeSince[index] ?? minute
            activeSince[index] = since
            states.append(minute - since >= rule.holdMinutes ? .firing : .pending)
        }
        return Evaluation(minute: minute, recorded: recorded, states: states, values: values)
    }

    /// The value an alerting rule's expression returns, or nil when it returns nothing:
    /// the rule's own `expr`, conditions joined with `and`, evaluated as Prometheus would.
    private static func alertValue(_ rule: WorkbookRules.AlertRule, _ engine: PromQLEngine, at time: Int64) throws -> Double? {
        try vector(engine, rule.expr, at: time).first?.value
    }

    /// The instant vector `query` returns at `time`.
    private static func vector(_ engine: PromQLEngine, _ query: String, at time: Int64) throws -> [VectorElement] {
        guard case .vector(let elements) = try engine.evaluate(query, at: time) else { return [] }
        return elements
    }

    // MARK: Narration

    /// The SLO's error budget, and how fast each burn rate spends it.
    private static func narrateTheBudget(_ narrator: Narrator) {
        narrator.heading("SLI, SLO and error budget")
        narrator.say("""
            The service's availability SLI is the share of requests that succeed (no 5xx \
            status). Its SLO promises 99.9 % over 30 days, so its error budget is the rest: \
            0.1 % of requests may fail. At \(requestsPerSecond) requests a second that is 12960 failures \
            in 30 days, or 43 minutes of failing everything. A window's burn rate is its \
            error ratio divided by the budget, 0.001:
            """)
        var table = "burn rate  error ratio  budget gone in  spent in 1 hour  spent in 6 hours\n"
        for burnRate in [1, 6, 14.4, 100] {
            let hours = 720 / burnRate
            let gone = hours >= 72 ? "\(short(hours / 24)) days" : "\(short(hours)) hours"
            table += TerminalChart.padded(short(burnRate), 11) + TerminalChart.padded(percent(burnRate * 0.001), 13) + TerminalChart.padded(gone, 16)
                + TerminalChart.padded(percent(burnRate / 720), 17) + percent(burnRate * 6 / 720) + "\n"
        }
        narrator.show(table)
        narrator.say("""
            A burn rate of 1 spends the budget exactly by the end of the 30 days. The page \
            rules fire at 14.4 over an hour (2 % of the budget gone in that hour) and at 6 \
            over six hours (5 %).
            """)
    }

    /// Every recording rule's value at one healthy evaluation.
    private static func narrateTheRecordingRules(_ evaluation: Evaluation, _ narrator: Narrator) {
        narrator.heading("Recording rules: the SLIs, computed once a minute")
        narrator.say("""
            Six healthy hours have passed. Each recording rule is a PromQL query that \
            Prometheus runs every minute, storing the answer as a new series under the \
            rule's name. For example:
              record: \(WorkbookRules.recording[2].record)
              expr:   \(WorkbookRules.recording[2].expr)
            Their values at minute \(evaluation.minute) of the timeline, a healthy minute:
            """)
        var lines = ""
        for rule in WorkbookRules.recording {
            lines += TerminalChart.padded(rule.record, 49) + "= " + short(evaluation.recorded[rule.record] ?? .nan) + "\n"
        }
        narrator.show(lines)
        narrator.say("""
            All the rules are in stack/prometheus/rules/workbook.rules.yml, their tests \
            beside them in stack/prometheus/tests.
            """)
    }

    /// Every alerting rule: its `for`, its severity and its expression.
    private static func narrateTheAlertingRules(_ narrator: Narrator) {
        narrator.heading("Alerting rules")
        narrator.say("""
            An alert is pending while its expression returns a series, and fires once that \
            has lasted its for. Each rule, then its expression (conditions joined by and):
            """)
        var lines = ""
        for rule in WorkbookRules.alerts {
            lines += TerminalChart.padded(rule.displayName, 23) + TerminalChart.padded("for: \(rule.holdMinutes)m", 9) + "severity: \(rule.severity)\n"
            lines += "  " + rule.conditions.joined(separator: "\n  and ") + "\n"
        }
        narrator.show(lines)
    }

    /// The SLIs and every alert's state over the timeline, and each change of state.
    private static func narrateTheTimeline(_ evaluations: [Evaluation], _ narrator: Narrator) {
        narrator.heading("Two and a half hours, evaluated minute by minute")
        // The chart fits the narrator's width: its labels, then one column per `minutesPerColumn`
        // minutes, inside the 4 columns of the narrator's `show` bar.
        let labelWidth = 22
        let columns = narrator.width - 4 - labelWidth
        let minutesPerColumn = (evaluations.count + columns - 1) / columns
        narrator.say("""
            From minute \(outage.lowerBound) to \(outage.upperBound), 10 % of requests fail; from minute \(slowness.lowerBound) to \(slowness.upperBound), \
            requests are slow. One column per \(minutesPerColumn) minutes; each line is scaled to its own \
            range. Alerts: · inactive, ▒ pending, █ firing.
            """)
        let shown = evaluations.filter { $0.minute % minutesPerColumn == 0 }
        let lastMark = (evaluations.count - 1) / (10 * minutesPerColumn) * 10 * minutesPerColumn
        var chart = TerminalChart.padded("minute", labelWidth)
            + TerminalChart.ruler(spacing: 10, step: 10 * minutesPerColumn, through: lastMark) + "\n"
        let series: [(String, String)] = [
            ("errors, 5m", "job:http_request_errors:ratio_rate5m"),
            ("errors, 1h", "job:http_request_errors:ratio_rate1h"),
            ("within 0.6 s, 5m", "job:http_requests_fast:ratio_rate5m"),
            ("Apdex, 5m", "job:http_request_duration_seconds:apdex_rate5m"),
        ]
        for (label, record) in series {
            chart += TerminalChart.padded(label, labelWidth) + TerminalChart.sparkline(shown.map { $0.recorded[record] ?? .nan }) + "\n"
        }
        for (index, rule) in WorkbookRules.alerts.enumerated() {
            let marks = shown.map { evaluation -> String in
                switch evaluation.states[index] {
                case .inactive: "·"
                case .pending: "▒"
                case .firing: "█"
                }
            }
            chart += TerminalChart.padded(rule.displayName, labelWidth) + marks.joined() + "\n"
        }
        narrator.show(chart)
        narrator.say("Every change of state, with the value the alert's expression returned:")
        narrator.show(transitions(evaluations))
        narrator.say("""
            The 6h page never fired: \(outage.count) minutes at 10 % do not lift six hours above \
            0.6 %. It is there for slow leaks, such as 1 % of requests failing for hours, \
            which no other rule here catches.
            """)
    }

    /// One line per change of an alert's state.
    private static func transitions(_ evaluations: [Evaluation]) -> String {
        var lines = ""
        for (previous, evaluation) in zip(evaluations, evaluations.dropFirst()) {
            for (index, rule) in WorkbookRules.alerts.enumerated() where evaluation.states[index] != previous.states[index] {
                let state = switch evaluation.states[index] {
                case .inactive: "resolved"
                case .pending: "pending"
                case .firing: "firing"
                }
                let value = evaluation.values[index].map { TerminalChart.padded(state, 10) + "value \(short($0))" } ?? state
                lines += TerminalChart.padded("minute \(evaluation.minute)", 12) + TerminalChart.padded(rule.displayName, 23) + value + "\n"
            }
        }
        return lines
    }

    /// What each window alone would have done during the outage, against both together.
    private static func narrateTheTwoWindows(_ evaluations: [Evaluation], _ narrator: Narrator) {
        narrator.heading("Why the page needs two windows")
        let threshold = 14.4 * 0.001
        let pageIndex = WorkbookRules.alerts.firstIndex { $0.longWindow == "1h" } ?? 0
        /// The first run of minutes from the outage on in which `holds`, as "minutes 21 to 39".
        func run(_ holds: (Evaluation) -> Bool) -> String {
            guard let first = evaluations.first(where: { $0.minute >= outage.lowerBound && holds($0) })?.minute else { return "never" }
            let last = (evaluations.first { $0.minute > first && !holds($0) }?.minute ?? evaluations.count) - 1
            return "minutes \(first) to \(last)"
        }
        let shortRatio = { (evaluation: Evaluation) in evaluation.recorded["job:http_request_errors:ratio_rate5m"] ?? 0 }
        let longRatio = { (evaluation: Evaluation) in evaluation.recorded["job:http_request_errors:ratio_rate1h"] ?? 0 }
        narrator.say("When each window was above 1.44 % (burn rate 14.4), and when the rule paged:")
        narrator.show("""
            5m window alone        \(run { shortRatio($0) > threshold })
            1h window alone        \(run { longRatio($0) > threshold })
            both: ErrorBudgetBurn  \(run { $0.states[pageIndex] == .firing })
            """)
        let at60 = evaluations[60]
        narrator.say("At minute 60, \(60 - outage.upperBound) minutes after the errors stopped:")
        narrator.show("""
            job:http_request_errors:ratio_rate1h = \(short(longRatio(at60)))   burn rate \(short(longRatio(at60) / 0.001))
            job:http_request_errors:ratio_rate5m = \(short(shortRatio(at60)))   burn rate \(short(shortRatio(at60) / 0.001))
            """)
        narrator.say("""
            The 5m window alone pages after one bad minute, and would page on every short \
            blip. The 1h window alone waits until real budget is gone, but then keeps paging \
            long after the errors stop. Together, the page starts once the hour has burned \
            more than 2 % of the budget, and stops within 5 minutes of the last error.
            """)
    }

    // MARK: Formatting

    /// A value to 4 significant digits: 0.0005123, 14.4, 2.575.
    private static func short(_ value: Double) -> String {
        guard value.isFinite, value != 0 else { return formatSampleValue(value, for: .prometheus) }
        var scale = 1.0
        while (value * scale).magnitude < 1000 { scale *= 10 }
        while (value * scale).magnitude >= 10000 { scale /= 10 }
        return formatSampleValue((value * scale).rounded() / scale, for: .prometheus)
    }

    /// A fraction as a percentage to 4 significant digits: 0.0144 is "1.44 %".
    private static func percent(_ fraction: Double) -> String {
        short(fraction * 100) + " %"
    }

}
