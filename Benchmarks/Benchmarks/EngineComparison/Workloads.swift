/// Inputs shared by both engines, so that each row does the same work on each side.
enum Workloads {
    /// Operations per sample for the single-operation rows: enough that one sample takes
    /// milliseconds, far above the clock's resolution and the harness's own overhead.
    static let operationsPerSample = 1_000_000

    /// Latencies in seconds that land in every one of the 11 default buckets and the
    /// `+Inf` bucket, in an order that repeats every 16 observations.
    static let latencies: [Double] = [
        0.003, 0.12, 0.008, 0.7, 0.02, 3.1, 0.04, 0.3, 0.07, 1.5, 0.2, 7.0, 0.45, 12.0, 0.09, 0.015,
    ]

    /// The 0.0.4 default buckets, for swift-prometheus, which has no default of its own.
    static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// The label names of the labelled-lookup rows.
    static let requestLabelNames = ["method", "path", "status"]
    /// The label values of the labelled-lookup rows: 3 × 3 × 3 = 27 series, looked up in turn.
    static let methods = ["GET", "POST", "DELETE"]
    static let paths = ["/", "/api/items", "/api/orders"]
    static let statuses = ["200", "404", "500"]

    /// The label sets of the labelled-lookup rows, in lookup order.
    static let requestLabelSets: [(method: String, path: String, status: String)] =
        methods.flatMap { method in
            paths.flatMap { path in statuses.map { status in (method, path, status) } }
        }

    /// The routes of the exposition rows, made once, as a router's table holds them.
    static let routes = (0..<100).map { "/api/v1/resource/\($0)" }

    /// The series of the exposition rows: 10,000 counters in one family with two labels,
    /// 100 routes × 100 instances, each with its own value.
    static let exposedSeries: [(route: String, instance: String, value: Int)] =
        routes.enumerated().flatMap { route in
            (0..<100).map { instance in
                (route.element, "pod-\(instance)", route.offset * 7_919 + instance * 104_729)
            }
        }
}
