/// All series of one metric: the same name, type and help, one child per label-value set.
///
/// `family.labels("GET", "200")` returns the child for those values, creating it the
/// first time and returning the same object ever after, so hold on to it on hot paths.
/// Every label set is a separate time series in Prometheus: values that are unbounded
/// (user ids, raw URLs) make unbounded series. An unlabelled metric is a family with no
/// label names and its single child.
public final class MetricFamily<Metric: AnyObject & Sendable>: Sendable {
    /// The family name (for counters without `_total`).
    public let name: String
    public let help: String
    public let unit: String?
    /// The label names, in the order `labels(_:)` takes their values.
    public let labelNames: [String]
    let type: MetricType
    private let clock: any MetricsClock
    private let makeChild: @Sendable (_ identity: String) -> Metric
    private let readChild: @Sendable (Metric) -> SeriesValue
    private let children = Locked<[[String]: Child]>([:])

    private struct Child: @unchecked Sendable {
        // `Metric` is Sendable by the generic constraint; the wrapper only adds a timestamp.
        let metric: Metric
        let created: Double
    }

    init(
        name: String, help: String, unit: String?, labelNames: [String], type: MetricType, clock: any MetricsClock,
        makeChild: @escaping @Sendable (String) -> Metric, readChild: @escaping @Sendable (Metric) -> SeriesValue
    ) {
        self.name = name
        self.help = help
        self.unit = unit
        self.labelNames = labelNames
        self.type = type
        self.clock = clock
        self.makeChild = makeChild
        self.readChild = readChild
    }

    /// The child for these label values, one per label name in declaration order.
    public func labels(_ values: String...) throws -> Metric {
        try labels(values)
    }

    /// The child for these label values, one per label name in declaration order.
    public func labels(_ values: [String]) throws -> Metric {
        guard values.count == labelNames.count else {
            throw MetricsError.wrongLabelValueCount(metric: exposedName, expected: labelNames, got: values.count)
        }
        return children.withLock { children in
            if let child = children[values] { return child.metric }
            let metric = makeChild(identity(values))
            children[values] = Child(metric: metric, created: clock.now())
            return metric
        }
    }

    /// Removes the child for these label values; its series disappears from the next scrape.
    /// Returns whether there was one.
    @discardableResult
    public func remove(labels values: [String]) -> Bool {
        children.withLock { $0.removeValue(forKey: values) != nil }
    }

    /// Removes every child.
    public func removeAll() {
        children.withLock { $0.removeAll() }
    }

    /// The family with every child's current value, sorted by label values.
    public func collect() -> MetricFamilySnapshot {
        let current = children.withLock { Array($0) }
        let series = current
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
            .map { SeriesSnapshot(labelValues: $0.key, value: readChild($0.value.metric), created: $0.value.created) }
        return MetricFamilySnapshot(name: name, type: type, help: help, unit: unit, labelNames: labelNames, series: series)
    }

    private var exposedName: String {
        type == .counter ? name + "_total" : name
    }

    /// `name{label="value",…}`, for messages.
    private func identity(_ values: [String]) -> String {
        guard !values.isEmpty else { return exposedName }
        let pairs = zip(labelNames, values).map { "\($0)=\"\(LabelEscaping.escaped($1))\"" }
        return exposedName + "{" + pairs.joined(separator: ",") + "}"
    }
}

/// What the registry needs of a family of any metric type.
protocol CollectableFamily: AnyObject, Sendable {
    func collect() -> MetricFamilySnapshot
}

extension MetricFamily: CollectableFamily {}
