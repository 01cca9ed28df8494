/// One lesson as the console lists it: its number, slug and title, and the dashboard that
/// shows its visual step.
///
/// The console does not read the workbook's manifest itself (it depends on HTTP only), so
/// whoever mounts it hands it the lessons, with each dashboard named by its file in the
/// dashboards folder: `histograms` for `stack/grafana/dashboards/histograms.json`.
/// `WebConsole.dashboardName(titled:in:)` finds that name from a dashboard's title.
public struct ConsoleLesson: Sendable, Equatable {
    /// The lesson's number, 1 and up.
    public let number: Int
    /// The slug without the number: `histogram-buckets`.
    public let slug: String
    /// The title: `Histogram buckets`.
    public let title: String
    /// The dashboard's file name without `.json` (`histograms`), or nil when the lesson has no visual step.
    public let dashboard: String?

    /// A lesson; `dashboard` must be lowercase letters, digits and `-` when given.
    public init(number: Int, slug: String, title: String, dashboard: String?) {
        precondition(number > 0, "ConsoleLesson: lesson numbers start at 1, got \(number)")
        if let dashboard {
            precondition(WebConsole.isDashboardName(dashboard), "ConsoleLesson: a dashboard name is lowercase letters, digits and -, got \(dashboard)")
        }
        self.number = number
        self.slug = slug
        self.title = title
        self.dashboard = dashboard
    }

    /// The lesson's folder name and the last part of its page's path: `05-histogram-buckets`.
    public var folder: String {
        (number < 10 ? "0\(number)" : "\(number)") + "-" + slug
    }
}
