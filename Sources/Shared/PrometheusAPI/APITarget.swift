/// One scrape target as `/api/v1/targets` reports it: who it is, where it is scraped, and
/// how its last scrape went.
///
/// A target is `up` when its last scrape succeeded, `down` when it failed (`lastError`
/// says why), `unknown` before its first scrape. The same fact is in the series
/// `up{job, instance}`, which is what alerts should watch.
/// See https://prometheus.io/docs/prometheus/latest/querying/api/#targets
public struct APITarget: Sendable, Equatable {
    /// Whether the last scrape worked.
    public enum Health: String, Sendable {
        case up, down, unknown
    }

    /// The labels the target's series get (`job`, `instance`, …).
    public var labels: [String: String]
    /// The labels service discovery found, before relabelling; the caller's `labels` when not given.
    public var discoveredLabels: [String: String]
    /// The scrape configuration it belongs to; its `job` label when not given.
    public var scrapePool: String
    /// The URL scraped: `http://127.0.0.1:3001/metrics`.
    public var scrapeURL: String
    /// The same URL as other machines would reach it; `scrapeURL` when not given.
    public var globalURL: String
    /// How the last scrape went.
    public var health: Health
    /// The start of the last scrape in milliseconds since the epoch, or nil before the first.
    public var lastScrape: Int64?
    /// How long the last scrape took, in seconds.
    public var lastScrapeDuration: Double
    /// Why the last scrape failed; "" when it worked.
    public var lastError: String
    /// How often it is scraped, as a duration: `15s`.
    public var scrapeInterval: String
    /// How long a scrape may take before it counts as failed, as a duration: `10s`.
    public var scrapeTimeout: String

    /// A target; what is not given is derived as each property says.
    public init(
        labels: [String: String], discoveredLabels: [String: String]? = nil, scrapePool: String? = nil,
        scrapeURL: String, globalURL: String? = nil, health: Health, lastScrape: Int64? = nil,
        lastScrapeDuration: Double = 0, lastError: String = "", scrapeInterval: String = "15s", scrapeTimeout: String = "10s"
    ) {
        self.labels = labels
        self.discoveredLabels = discoveredLabels ?? labels
        self.scrapePool = scrapePool ?? labels["job"] ?? ""
        self.scrapeURL = scrapeURL
        self.globalURL = globalURL ?? scrapeURL
        self.health = health
        self.lastScrape = lastScrape
        self.lastScrapeDuration = lastScrapeDuration
        self.lastError = lastError
        self.scrapeInterval = scrapeInterval
        self.scrapeTimeout = scrapeTimeout
    }
}

/// Where `/api/v1/targets` gets its answer: the caller's scrape targets, asked afresh at each request.
public protocol TargetProvider: Sendable {
    /// The targets being scraped now (Prometheus's "active" targets), in the order to list them.
    func activeTargets() -> [APITarget]
}
