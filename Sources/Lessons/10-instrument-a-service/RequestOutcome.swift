import Instrumentation
import WorkbookKit

/// Everything one request scenario left behind: what its handlers saw, what `instrument`
/// returned or threw, and the metrics' series afterwards.
///
/// Series still at zero are left out, so creating series at zero ahead of time (as the shop
/// service does) neither passes nor fails a check.
struct RequestOutcome: Sendable, Equatable, CustomStringConvertible {
    /// In order: each handler's reading of `http_requests_in_flight`, and what each
    /// `instrument` call returned or threw.
    let events: [String]
    /// The non-zero `http_requests_total` series with their values.
    let counts: [String]
    /// The `http_request_duration_seconds` series that observed something.
    let durations: [String]

    var description: String {
        (events + counts + durations).joined(separator: "; ")
    }

    /// The non-zero series of `http_requests_total`, as `http_requests_total{method="GET",route="/",code="200"} 1`.
    static func counts(_ metrics: ServiceMetrics) -> [String] {
        metrics.requests.collect().series.compactMap { series in
            guard case .counter(let value) = series.value, value != 0 else { return nil }
            return "http_requests_total" + labels(["method", "route", "code"], series.labelValues) + " " + formatSampleValue(value, for: .prometheus)
        }
    }

    /// The series of `http_request_duration_seconds` with observations: count, sum and cumulative buckets.
    static func durations(_ metrics: ServiceMetrics) -> [String] {
        metrics.duration.collect().series.compactMap { series in
            guard case .histogram(let histogram) = series.value, histogram.count > 0 else { return nil }
            return "http_request_duration_seconds" + labels(["method", "route"], series.labelValues)
                + " count \(histogram.count), sum \(formatSampleValue(histogram.sum, for: .prometheus)), buckets "
                + histogram.cumulativeCounts.map(String.init).joined(separator: " ")
        }
    }

    /// `{method="GET",route="/"}`, each value shown with its line breaks visible.
    private static func labels(_ names: [String], _ values: [String]) -> String {
        "{" + zip(names, values).map { "\($0)=\(shown($1))" }.joined(separator: ",") + "}"
    }
}
