import Foundation
import Synchronization

/// Scrapes targets again and again, every `interval` seconds, until stopped: a tiny Prometheus.
///
/// Each round scrapes every target once (each with the scraper's timeout), then waits for
/// the rest of the interval. A slow or dead target delays its own round by at most the
/// timeout; it never stops the loop.
public final class ScrapeLoop: Sendable {
    public let scraper: Scraper
    public let targets: [Scraper.Target]
    /// Seconds from the start of one round to the start of the next.
    public let interval: Double
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let reports = Locked<[ScrapeReport]>([])

    public init(scraper: Scraper, targets: [Scraper.Target], interval: Double) {
        precondition(interval > 0, "a scrape interval must be positive")
        self.scraper = scraper
        self.targets = targets
        self.interval = interval
    }

    /// Starts scraping on a thread of its own; the first round starts at once.
    public func start() {
        Thread { [self] in
            while !stopped.load(ordering: .acquiring) {
                let started = Date()
                for target in targets {
                    let report = scraper.scrape(target)
                    reports.withLock { $0.append(report) }
                }
                let rest = interval - Date().timeIntervalSince(started)
                // Sleep in short steps so stop() is answered quickly.
                let wakeAt = Date().addingTimeInterval(max(rest, 0))
                while !stopped.load(ordering: .acquiring), Date() < wakeAt {
                    Thread.sleep(forTimeInterval: min(0.05, max(wakeAt.timeIntervalSinceNow, 0)))
                }
            }
            finished.signal()
        }.start()
    }

    /// Stops after the scrape under way, and waits for it.
    public func stop() {
        stopped.store(true, ordering: .releasing)
        finished.wait()
    }

    /// Every scrape's report so far, oldest first.
    public var history: [ScrapeReport] {
        reports.withLock { $0 }
    }
}
