/// All series of one metric: the same name, type and help, one child per label-value set.
///
/// `family.labels("GET", "200")` returns the child for those values, creating it the
/// first time and returning the same object ever after, so hold on to it on hot paths.
/// Every label set is a separate time series in Prometheus: values that are unbounded
/// (user ids, raw URLs) make unbounded series. An unlabelled metric is a family with no
/// label names and its single child.
public final class MetricFamily<Metric: AnyObject & Sendable>: @unchecked Sendable {
    // Sendable although `table` is a `var`: it is only touched while holding `lock`.

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
    // A lookup holds the lock for a few nanoseconds, so it is a spin lock; exclusivity
    // is not checked at run time because the lock already serialises every access.
    // The table stores children as `AnyObject`, not `Metric`: code that is generic over
    // `Metric` asks the runtime for type metadata at every step, which would cost more
    // than the whole lookup. Only `Metric` objects go in, so the casts back are safe.
    private let lock = SpinLock()
    @exclusivity(unchecked) private var table = ChildTable()

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
    // Inlined into the caller so that the array of values can live on the caller's stack:
    // a lookup then allocates nothing.
    @inlinable
    public func labels(_ values: String...) throws -> Metric {
        try values.withUnsafeBufferPointer { try child(for: $0) }
    }

    /// The child for these label values, one per label name in declaration order.
    public func labels(_ values: [String]) throws -> Metric {
        try values.withUnsafeBufferPointer { try child(for: $0) }
    }

    /// The child for `values`: found under the lock by a hash of the values, or created.
    @usableFromInline
    func child(for values: UnsafeBufferPointer<String>) throws -> Metric {
        guard values.count == labelNames.count else {
            throw MetricsError.wrongLabelValueCount(metric: exposedName, expected: labelNames, got: values.count)
        }
        return lock.withLock {
            let (hash, found) = ChildTable.find(values, in: &table)
            if let found { return unsafeDowncast(found, to: Metric.self) }
            let labelValues = Array(values)
            let identity = identity(labelValues)
            let metric = makeChild(identity)
            table.insert(ChildTable.Child(
                labelValues: labelValues, identity: keepsIdentities ? identity : "", hash: hash, metric: metric, created: clock.now()))
            return metric
        }
    }

    /// Removes the child for these label values; its series disappears from the next scrape.
    /// Returns whether there was one.
    @discardableResult
    public func remove(labels values: [String]) -> Bool {
        values.withUnsafeBufferPointer { values in
            lock.withLock {
                guard let position = table.position(of: values, hash: table.hash(values)) else { return false }
                table.remove(at: position)
                return true
            }
        }
    }

    /// Removes every child.
    public func removeAll() {
        lock.withLock { table.removeAll() }
    }

    /// The family with every child's current value, sorted by label values.
    ///
    /// The values are read under the family's lock: copying the children out first would
    /// cost more (two reference counts per child) than reading them, which is a few loads each.
    public func collect() -> MetricFamilySnapshot {
        let pairsStart = keepsIdentities && !labelNames.isEmpty ? labelPairsStart : nil
        let series = lock.withLock {
            let order = table.sortedPositions()
            // Read through buffer pointers: copying a child out of the array would retain
            // and release its metric and label values, and appending checks capacity each time.
            return table.children.withUnsafeBufferPointer { children in
                [SeriesSnapshot](unsafeUninitializedCapacity: order.count) { series, initialized in
                    for (index, position) in order.enumerated() {
                        let child = Int(position)
                        // The table holds the metric for as long as the lock is held, so it is
                        // lent to `readChild` without a retain and release of its own.
                        let value = Unmanaged.passUnretained(children[child].metric)._withUnsafeGuaranteedRef {
                            readChild(unsafeDowncast($0, to: Metric.self))
                        }
                        (series.baseAddress! + index).initialize(to: SeriesSnapshot(
                            labelValues: children[child].labelValues, value: value, created: children[child].created,
                            identity: pairsStart == nil ? nil : children[child].identity))
                    }
                    initialized = order.count
                }
            }
        }
        return MetricFamilySnapshot(name: name, type: type, help: help, unit: unit, labelNames: labelNames, series: series, labelPairsStart: pairsStart)
    }

    private var exposedName: String {
        type == .counter ? name + "_total" : name
    }

    /// Whether each child's identity is kept for the exposition to copy its label pairs from.
    ///
    /// A counter keeps its identity anyway, for its error message, so keeping it here costs
    /// nothing; a gauge's costs a string per series, and saves escaping its label values on
    /// every scrape, which is most of writing its one line. A histogram or summary series
    /// writes a dozen lines with the same pairs, escaped once per scrape: there the string
    /// would cost memory and save almost nothing.
    private var keepsIdentities: Bool {
        type == .counter || type == .gauge
    }

    /// Where the label pairs start in a child's identity: after the name and its brace.
    private var labelPairsStart: Int {
        exposedName.utf8.count + 1
    }

    /// `name{label="value",…}`, for messages; the exposition copies the part between the
    /// braces (see `SeriesSnapshot.identity`), so it is escaped exactly as the text formats escape.
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

/// A family's children: found by their label values through a hash table, and listed in
/// label-value order for collection.
///
/// The table is open addressing with linear probing over positions in `children`. The
/// hash reads each value's UTF-8 bytes eight at a time (the standard `Hasher` is built to
/// resist crafted collisions and costs several times more); a random seed per table keeps
/// collisions from being chosen from outside. The order for collection is sorted once and
/// kept until a child is added or removed, so steady scrapes do not sort at all.
struct ChildTable {
    /// One series: its label values, its identity (see `MetricFamily.identity`; empty
    /// when the family does not keep identities), their hash, the metric and when it was created.
    struct Child {
        let labelValues: [String]
        let identity: String
        let hash: Int
        let metric: AnyObject
        let created: Double
    }

    /// The children, in no particular order (removal moves the last into the gap).
    private(set) var children: [Child] = []
    /// Each slot holds a position in `children` plus one, or 0 when empty; the count is a
    /// power of two, at least twice the number of children, so probes stay short.
    private var slots = [Int32](repeating: 0, count: 8)
    /// Positions in `children` sorted by label values; nil once a change makes it stale.
    private var sorted: [Int32]? = []
    private let seed = UInt64.random(in: .min ... .max)

    /// The seeded hash of a set of label values.
    ///
    /// Each value is hashed on its own, so the processor can work on several at once;
    /// rotating before combining keeps the order of the values significant.
    func hash(_ values: UnsafeBufferPointer<String>) -> Int {
        var combined: UInt64 = 0
        for value in values {
            let hashed = value.utf8.withContiguousStorageIfAvailable { Self.hash(bytes: $0, seed: seed) }
                ?? Self.hash(bytes: Array(value.utf8), seed: seed)
            combined = (combined << 23 | combined >> 41) ^ hashed
        }
        return Int(truncatingIfNeeded: Self.mix(combined ^ seed))
    }

    /// The hash of these label values and the metric of the child they name, if there is one.
    ///
    /// Takes the table `inout`: a family reading its table as a value would copy it first,
    /// retaining and releasing each of its arrays, which would cost a lookup more than the
    /// lookup itself.
    static func find(_ values: UnsafeBufferPointer<String>, in table: inout ChildTable) -> (hash: Int, metric: AnyObject?) {
        let hash = table.hash(values)
        guard let position = table.position(of: values, hash: hash) else { return (hash, nil) }
        return (hash, table.children[position].metric)
    }

    /// Where the child with these label values sits in `children`, if there is one.
    func position(of values: UnsafeBufferPointer<String>, hash: Int) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            children.withUnsafeBufferPointer { children in
                let mask = slots.count - 1
                var slot = hash & mask
                while true {
                    let position = Int(slots[slot]) - 1
                    if position < 0 { return nil }
                    if children[position].hash == hash, Self.equal(children[position].labelValues, values) { return position }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    private static func equal(_ stored: [String], _ values: UnsafeBufferPointer<String>) -> Bool {
        stored.withUnsafeBufferPointer { stored in
            for index in stored.indices where stored[index] != values[index] { return false }
            return true
        }
    }

    /// Adds a child whose label values are not in the table yet.
    mutating func insert(_ child: Child) {
        if (children.count + 1) * 2 > slots.count { rebuildSlots(count: slots.count * 2) }
        children.append(child)
        place(position: children.count - 1)
        sorted = nil
    }

    /// Removes the child at `position`; the last child moves into its place.
    mutating func remove(at position: Int) {
        let mask = slots.count - 1
        // Backward-shift deletion: pull later entries of the probe run into the gap, so
        // that every lookup still finds its entry without passing an empty slot.
        var gap = slot(holding: position)
        var next = (gap + 1) & mask
        while slots[next] != 0 {
            let home = children[Int(slots[next]) - 1].hash & mask
            // The entry may move into the gap unless its home lies cyclically in (gap, next].
            let homeAfterGap = next > gap ? (home > gap && home <= next) : (home > gap || home <= next)
            if !homeAfterGap {
                slots[gap] = slots[next]
                gap = next
            }
            next = (next + 1) & mask
        }
        slots[gap] = 0
        let last = children.count - 1
        if position != last {
            slots[slot(holding: last)] = Int32(position + 1)
            children.swapAt(position, last)
        }
        children.removeLast()
        sorted = nil
    }

    /// Removes every child.
    mutating func removeAll() {
        children.removeAll()
        slots = [Int32](repeating: 0, count: 8)
        sorted = []
    }

    /// Positions in `children` in the order of their label values, sorted when stale.
    mutating func sortedPositions() -> [Int32] {
        if let sorted { return sorted }
        let order = children.withUnsafeBufferPointer { children in
            (0..<Int32(children.count)).sorted {
                children[Int($0)].labelValues.lexicographicallyPrecedes(children[Int($1)].labelValues)
            }
        }
        sorted = order
        return order
    }

    /// The slot that points at `position`.
    private func slot(holding position: Int) -> Int {
        let mask = slots.count - 1
        var slot = children[position].hash & mask
        while Int(slots[slot]) != position + 1 { slot = (slot + 1) & mask }
        return slot
    }

    /// Points the first free slot of the child's probe run at `position`.
    private mutating func place(position: Int) {
        let mask = slots.count - 1
        var slot = children[position].hash & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(position + 1)
    }

    private mutating func rebuildSlots(count: Int) {
        slots = [Int32](repeating: 0, count: count)
        for position in children.indices { place(position: position) }
    }

    /// Folds 64 bits into 64 bits through a full 128-bit multiply, so every input bit
    /// reaches every output bit.
    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value.multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return product.high ^ product.low
    }

    /// The seeded hash of some bytes and their count, taken eight bytes at a time.
    ///
    /// The last word read may overlap the one before (reading past the end is not
    /// allowed); that is fine for a hash, which only has to be the same for the same bytes.
    /// The count is mixed in too, so that "ab" + "c" and "a" + "bc" hash differently.
    @inline(__always)
    private static func hash(bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return mix(seed) }
        let raw = UnsafeRawPointer(base)
        var state = seed
        let last: UInt64
        if count >= 8 {
            var offset = 0
            while offset + 8 < count {
                state = mix(state ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset += 8
            }
            last = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 {
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            last = low | high << 32
        } else {
            last = UInt64(base[0]) | UInt64(base[count / 2]) << 8 | UInt64(base[count - 1]) << 16
        }
        return mix((state &+ UInt64(truncatingIfNeeded: count)) ^ last)
    }

    private static func hash(bytes: [UInt8], seed: UInt64) -> UInt64 {
        bytes.withUnsafeBufferPointer { hash(bytes: $0, seed: seed) }
    }
}
