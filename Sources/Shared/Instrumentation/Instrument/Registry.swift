import Platform

/// The set of metric families a process exposes, and the place to create them.
///
/// Ask the registry for a metric (`makeCounter`, `makeHistogramFamily`, …); it checks
/// names and labels once, at creation, so that recording never has to. Asking again with
/// the identical definition returns the existing metric; the same name with a different
/// type, help, unit, label names or buckets is an error. `collect()` reads every family
/// into immutable snapshots, sorted by family name and then by label values, which the
/// encoders turn into an exposition.
public final class Registry: Sendable {
    /// The clock summaries, gauges and creation timestamps read.
    public let clock: any MetricsClock
    private let families = Locked(Families())

    /// The registered families, and which family writes each sample name, so a new
    /// family's names are checked in constant time however many there are.
    private struct Families {
        var byName: [String: Registration] = [:]
        var sampleOwners: [String: String] = [:]

        mutating func remove(_ name: String) -> Bool {
            guard let removed = byName.removeValue(forKey: name) else { return false }
            for sample in removed.definition.sampleNames { sampleOwners.removeValue(forKey: sample) }
            return true
        }
    }

    private struct Registration: @unchecked Sendable {
        // `family` is a Sendable class; the protocol existential just hides its metric type.
        let definition: Definition
        let family: any CollectableFamily
    }

    private struct Definition: Equatable {
        let name: String
        let type: MetricType
        let help: String
        let unit: String?
        let labelNames: [String]
        var buckets: [Double] = []
        var objectives: [SummaryObjective] = []
        var maxAge: Double = 0
        var ageBuckets = 0

        /// The sample names this family writes, to catch two families writing the same series.
        var sampleNames: [String] {
            switch type {
            case .counter: [name + "_total", name + "_created"]
            case .gauge: [name]
            case .histogram: [name + "_bucket", name + "_sum", name + "_count", name + "_created"]
            case .summary: [name, name + "_sum", name + "_count", name + "_created"]
            }
        }
    }

    /// Creates an empty registry reading time from `clock`.
    public init(clock: any MetricsClock = WallClock()) {
        self.clock = clock
    }

    // MARK: Counters

    /// A labelled family of counters. A trailing `_total` in `name` is dropped: it is added on exposition.
    public func makeCounterFamily(name: String, help: String, labelNames: [String], unit: String? = nil) throws -> MetricFamily<Counter> {
        let familyName = name.hasSuffix("_total") ? String(name.dropLast(6)) : name
        let definition = try checked(Definition(name: familyName, type: .counter, help: help, unit: unit, labelNames: labelNames), reserved: nil)
        return try register(definition) {
            MetricFamily(name: familyName, help: help, unit: unit, labelNames: labelNames, type: .counter, clock: clock,
                         makeChild: { Counter(identity: $0) }, readChild: { .counter($0.value) },
                         readExemplars: { $0.exemplar.map { [$0] } ?? [] })
        }
    }

    /// An unlabelled counter.
    public func makeCounter(name: String, help: String, unit: String? = nil) throws -> Counter {
        try makeCounterFamily(name: name, help: help, labelNames: [], unit: unit).labels([])
    }

    // MARK: Gauges

    /// A labelled family of gauges.
    public func makeGaugeFamily(name: String, help: String, labelNames: [String], unit: String? = nil) throws -> MetricFamily<Gauge> {
        let definition = try checked(Definition(name: name, type: .gauge, help: help, unit: unit, labelNames: labelNames), reserved: nil)
        return try register(definition) { [clock] in
            MetricFamily(name: name, help: help, unit: unit, labelNames: labelNames, type: .gauge, clock: clock,
                         makeChild: { _ in Gauge(clock: clock) }, readChild: { .gauge($0.value) })
        }
    }

    /// An unlabelled gauge.
    public func makeGauge(name: String, help: String, unit: String? = nil) throws -> Gauge {
        try makeGaugeFamily(name: name, help: help, labelNames: [], unit: unit).labels([])
    }

    // MARK: Histograms

    /// A labelled family of histograms with these bucket upper bounds (`le` is reserved as a label name).
    public func makeHistogramFamily(
        name: String, help: String, labelNames: [String], buckets: [Double] = Buckets.defaults, unit: String? = nil
    ) throws -> MetricFamily<Histogram> {
        var definition = try checked(Definition(name: name, type: .histogram, help: help, unit: unit, labelNames: labelNames), reserved: "le")
        let bounds = try Buckets.validated(buckets, metric: name)
        definition.buckets = bounds
        return try register(definition) {
            MetricFamily(name: name, help: help, unit: unit, labelNames: labelNames, type: .histogram, clock: clock,
                         makeChild: { _ in Histogram(upperBounds: bounds) }, readChild: { .histogram($0.snapshot) },
                         readExemplars: { $0.exemplars })
        }
    }

    /// An unlabelled histogram.
    public func makeHistogram(name: String, help: String, buckets: [Double] = Buckets.defaults, unit: String? = nil) throws -> Histogram {
        try makeHistogramFamily(name: name, help: help, labelNames: [], buckets: buckets, unit: unit).labels([])
    }

    // MARK: Summaries

    /// A labelled family of summaries (`quantile` is reserved as a label name).
    ///
    /// With no objectives (the default, as in Prometheus) it exposes only `_sum` and `_count`.
    public func makeSummaryFamily(
        name: String, help: String, labelNames: [String], objectives: [SummaryObjective] = [],
        maxAge: Double = 600, ageBuckets: Int = 5, unit: String? = nil
    ) throws -> MetricFamily<Summary> {
        var definition = try checked(Definition(name: name, type: .summary, help: help, unit: unit, labelNames: labelNames), reserved: "quantile")
        let sorted = try Summary.validated(objectives: objectives, maxAge: maxAge, ageBuckets: ageBuckets, metric: name)
        definition.objectives = sorted
        definition.maxAge = maxAge
        definition.ageBuckets = ageBuckets
        return try register(definition) { [clock] in
            MetricFamily(name: name, help: help, unit: unit, labelNames: labelNames, type: .summary, clock: clock,
                         makeChild: { _ in Summary(objectives: sorted, maxAge: maxAge, ageBuckets: ageBuckets, clock: clock) },
                         readChild: { .summary($0.snapshot) })
        }
    }

    /// An unlabelled summary.
    public func makeSummary(
        name: String, help: String, objectives: [SummaryObjective] = [], maxAge: Double = 600, ageBuckets: Int = 5, unit: String? = nil
    ) throws -> Summary {
        try makeSummaryFamily(name: name, help: help, labelNames: [], objectives: objectives, maxAge: maxAge, ageBuckets: ageBuckets, unit: unit)
            .labels([])
    }

    // MARK: Collecting and removing

    /// Every family's current state, sorted by family name; series sorted by label values.
    public func collect() -> [MetricFamilySnapshot] {
        let registered = families.withLock { $0.byName.values.map(\.family) }
        return registered.map { $0.collect() }.sorted { $0.name < $1.name }
    }

    /// Removes the family called `name` (for a counter, with or without `_total`).
    /// Returns whether there was one.
    @discardableResult
    public func unregister(_ name: String) -> Bool {
        families.withLock { families in
            if families.remove(name) { return true }
            guard name.hasSuffix("_total"), families.byName[String(name.dropLast(6))]?.definition.type == .counter else { return false }
            return families.remove(String(name.dropLast(6)))
        }
    }

    // MARK: Checks

    private func checked(_ definition: Definition, reserved: String?) throws -> Definition {
        guard MetricName.isValidMetricName(definition.name) else { throw MetricsError.invalidMetricName(definition.name) }
        try MetricName.validateLabelNames(definition.labelNames, metric: definition.name, reserved: reserved)
        if let unit = definition.unit {
            let validUnit = !unit.isEmpty && MetricName.isValidLabelName(unit) && !unit.hasPrefix("_")
            guard validUnit, definition.name.hasSuffix("_" + unit) else {
                throw MetricsError.invalidUnit(metric: definition.name, unit: unit)
            }
        }
        return definition
    }

    private func register<Metric>(
        _ definition: Definition, make: () -> MetricFamily<Metric>
    ) throws -> MetricFamily<Metric> {
        try families.withLock { families in
            if let existing = families.byName[definition.name] {
                guard existing.definition == definition, let family = existing.family as? MetricFamily<Metric> else {
                    throw MetricsError.conflictingRegistration(metric: definition.name, reason: Registry.difference(existing.definition, definition))
                }
                return family
            }
            var owner: String?
            for sample in definition.sampleNames where owner == nil { owner = families.sampleOwners[sample] }
            if let owner, let clash = families.byName[owner]?.definition {
                throw MetricsError.conflictingRegistration(
                    metric: definition.name,
                    reason: "under another name: the \(clash.type.rawValue) \(clash.name) writes the same series names")
            }
            let family = make()
            families.byName[definition.name] = Registration(definition: definition, family: family)
            for sample in definition.sampleNames { families.sampleOwners[sample] = definition.name }
            return family
        }
    }

    private static func difference(_ old: Definition, _ new: Definition) -> String {
        if old.type != new.type { return "as a \(old.type.rawValue), not a \(new.type.rawValue)" }
        if old.help != new.help { return "with a different help text (\"\(old.help)\")" }
        if old.labelNames != new.labelNames { return "with label names [\(old.labelNames.joined(separator: ", "))]" }
        if old.unit != new.unit { return "with unit \(old.unit ?? "none")" }
        if old.buckets != new.buckets { return "with other buckets" }
        return "with other objectives or window"
    }
}
