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
    /// A child's latest exemplars (see `SeriesSnapshot.exemplars`), for the types that keep them.
    private let readExemplars: (@Sendable (Metric) -> [Exemplar?])?
    // Every critical section under this lock is short and bounded, whatever the family's
    // size: a lookup, adding a child made beforehand, copying out the table's contents
    // for a collection (a reference to its storage). Creating a child (allocating it,
    // escaping its label values), growing the hash table, sorting and reading the children
    // all happen outside it. So it is a spin lock: a waiter never waits long. Exclusivity
    // is not checked at run time because the lock already serialises every access.
    // The table stores children as `AnyObject`, not `Metric`: code that is generic over
    // `Metric` asks the runtime for type metadata at every step, which would cost more
    // than the whole lookup. Only `Metric` objects go in, so the casts back are safe.
    private let lock = SpinLock()
    @exclusivity(unchecked) private var table = ChildTable()

    init(
        name: String, help: String, unit: String?, labelNames: [String], type: MetricType, clock: any MetricsClock,
        makeChild: @escaping @Sendable (String) -> Metric, readChild: @escaping @Sendable (Metric) -> SeriesValue,
        readExemplars: (@Sendable (Metric) -> [Exemplar?])? = nil
    ) {
        self.name = name
        self.help = help
        self.unit = unit
        self.labelNames = labelNames
        self.type = type
        self.clock = clock
        self.makeChild = makeChild
        self.readChild = readChild
        self.readExemplars = readExemplars
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
        let (hash, found) = lock.withLock { ChildTable.find(values, in: &table) }
        if let found { return unsafeDowncast(found, to: Metric.self) }
        return addChild(for: values, hash: hash)
    }

    /// Creates the child for `values` and adds it, unless another thread added one first.
    ///
    /// The child is made before taking the lock, so a lookup never waits for an allocation
    /// or for label values being escaped; when two threads create the same child at once,
    /// one of them is thrown away. A full hash table is grown outside the lock too, from a
    /// copy of the table's contents, and swapped in if nothing changed meanwhile.
    @inline(never)
    private func addChild(for values: UnsafeBufferPointer<String>, hash: Int) -> Metric {
        let labelValues = Array(values)
        let identity = identity(labelValues)
        let child = ChildTable.Child(
            labelValues: labelValues, identity: keepsIdentities ? identity : "", hash: hash, metric: makeChild(identity), created: clock.now())
        while true {
            switch lock.withLock({ table.add(child) }) {
            case .added:
                return unsafeDowncast(child.metric, to: Metric.self)
            case .existing(let metric):
                return unsafeDowncast(metric, to: Metric.self)
            case .full(let contents):
                let slots = ChildTable.slots(for: contents)
                // The slots replaced are released here, after the lock.
                _ = lock.withLock { table.replaceSlots(with: slots, madeFor: contents.version) }
            }
        }
    }

    /// Removes the child for these label values; its series disappears from the next scrape.
    /// Returns whether there was one.
    @discardableResult
    public func remove(labels values: [String]) -> Bool {
        let removed = values.withUnsafeBufferPointer { values in
            lock.withLock { () -> ChildTable.Child? in
                guard let position = table.position(of: values, hash: table.hash(values)) else { return nil }
                return table.remove(at: position)
            }
        }
        // The child is released here, after the lock.
        return removed != nil
    }

    /// Removes every child.
    public func removeAll() {
        let removed = lock.withLock { table.removeAll() }
        // The children are released here, after the lock.
        withExtendedLifetime(removed) {}
    }

    /// The family with every child's current value, sorted by label values.
    ///
    /// The set of children is the one at a single moment: under the lock, the collection
    /// takes a reference to the table's contents and, when no child was added or removed
    /// since the last collection, their order by label values. Children added or removed
    /// after that moment wait for the next collection. Sorting (only after a change) and
    /// reading each child's value happen outside the lock, so recording threads and
    /// lookups never wait for a scrape. Each value is read when its child is reached, as
    /// before: a summary's quantiles under that summary's own lock.
    public func collect() -> MetricFamilySnapshot {
        let pairsStart = keepsIdentities && !labelNames.isEmpty ? labelPairsStart : nil
        let contents = lock.withLock { table.contents }
        let ranks = contents.ranks ?? rank(contents)
        // Written by position in the table, into each child's place in label-value order:
        // the table is read front to back, through buffer pointers, so that copying a child
        // out of its chunk does not retain and release its metric and label values.
        let series = ranks.withUnsafeBufferPointer { ranks in
            [SeriesSnapshot](unsafeUninitializedCapacity: contents.count) { series, initialized in
                var position = 0
                for chunk in contents.chunks {
                    chunk.withUnsafeBufferPointer { children in
                        for child in children.indices {
                            // `contents` holds the metric for the whole collection, so it is
                            // lent to `readChild` without a retain and release of its own.
                            let (value, exemplars) = Unmanaged.passUnretained(children[child].metric)._withUnsafeGuaranteedRef {
                                let metric = unsafeDowncast($0, to: Metric.self)
                                return (readChild(metric), readExemplars?(metric) ?? [])
                            }
                            (series.baseAddress! + Int(ranks[position])).initialize(to: SeriesSnapshot(
                                labelValues: children[child].labelValues, value: value, created: children[child].created,
                                exemplars: exemplars, identity: pairsStart == nil ? nil : children[child].identity))
                            position += 1
                        }
                    }
                }
                initialized = contents.count
            }
        }
        return MetricFamilySnapshot(name: name, type: type, help: help, unit: unit, labelNames: labelNames, series: series, labelPairsStart: pairsStart)
    }

    /// Sorts the children of `contents` by label values, outside the lock, and keeps the
    /// order in the table for the next collections while no child is added or removed.
    private func rank(_ contents: ChildTable.Contents) -> [Int32] {
        let ranks = ChildTable.ranks(of: contents)
        // The order replaced is released here, after the lock.
        _ = lock.withLock { table.keep(ranks, madeFor: contents.version) }
        return ranks
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
/// The table is open addressing with linear probing over positions in `chunks`. The
/// hash reads each value's UTF-8 bytes eight at a time (the standard `Hasher` is built to
/// resist crafted collisions and costs several times more); a random seed per table keeps
/// collisions from being chosen from outside.
///
/// The children sit in chunks of at most `chunkCapacity`, arrays with copy-on-write, so
/// that a collection can take the whole list in constant time (`contents`) and read it
/// after the lock. A change made while a collection still holds the list copies only the
/// list of chunks and the one chunk it touches, a bounded cost, never every child. The
/// order for collection is sorted by the collection, outside the lock, and kept (`keep`)
/// until a child is added or removed, so steady scrapes do not sort at all.
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

    /// Every child at one moment, for a collection to read after the lock.
    struct Contents {
        /// The children, chunk after chunk; a child's position is its place in this sequence.
        let chunks: [[Child]]
        let count: Int
        /// Which state of the table this is: it changes with every child added or removed.
        let version: UInt64
        /// Each position's place in label-value order, when known for this version.
        let ranks: [Int32]?
    }

    /// What `add` did.
    enum Addition {
        case added
        /// A child with these label values was there already: this is its metric.
        case existing(AnyObject)
        /// The hash table is full: grow it from these contents (`slots(for:)`), then add again.
        case full(Contents)
    }

    /// Children per chunk: a chunk copied because a collection holds it copies at most this many.
    static let chunkShift = 8
    static let chunkCapacity = 1 << chunkShift

    /// The children, in no particular order (removal moves the last into the gap); every
    /// chunk but the last holds `chunkCapacity`.
    private var chunks: [[Child]] = []
    private(set) var count = 0
    /// Each slot holds a position plus one, or 0 when empty; the count is a power of two,
    /// at least twice the number of children, so probes stay short.
    private var slots = [Int32](repeating: 0, count: 8)
    private var version: UInt64 = 0
    /// Each position's place in label-value order, for the version it was sorted at.
    private var order: (version: UInt64, ranks: [Int32]) = (0, [])
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
        return (hash, table.metric(at: position))
    }

    /// The whole table for a collection: constant time, whatever the number of children.
    var contents: Contents {
        Contents(chunks: chunks, count: count, version: version, ranks: order.version == version ? order.ranks : nil)
    }

    /// Where the child with these label values sits, if there is one.
    func position(of values: UnsafeBufferPointer<String>, hash: Int) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            chunks.withUnsafeBufferPointer { chunks in
                let mask = slots.count - 1
                var slot = hash & mask
                while true {
                    let position = Int(slots[slot]) - 1
                    if position < 0 { return nil }
                    let matches = chunks[position >> Self.chunkShift].withUnsafeBufferPointer { children in
                        let index = position & (Self.chunkCapacity - 1)
                        return children[index].hash == hash && Self.equal(children[index].labelValues, values)
                    }
                    if matches { return position }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    private func metric(at position: Int) -> AnyObject {
        chunks[position >> Self.chunkShift][position & (Self.chunkCapacity - 1)].metric
    }

    private func hash(at position: Int) -> Int {
        chunks[position >> Self.chunkShift][position & (Self.chunkCapacity - 1)].hash
    }

    private static func equal(_ stored: [String], _ values: UnsafeBufferPointer<String>) -> Bool {
        stored.withUnsafeBufferPointer { stored in
            for index in stored.indices where stored[index] != values[index] { return false }
            return true
        }
    }

    /// Adds `child` unless a child with its label values is there already, or the hash
    /// table has no room for it.
    mutating func add(_ child: Child) -> Addition {
        if let position = child.labelValues.withUnsafeBufferPointer({ position(of: $0, hash: child.hash) }) {
            return .existing(metric(at: position))
        }
        guard (count + 1) * 2 <= slots.count else { return .full(contents) }
        if count & (Self.chunkCapacity - 1) == 0 {
            var chunk: [Child] = []
            // The first chunk grows as the family does; a small family stays small.
            if count > 0 { chunk.reserveCapacity(Self.chunkCapacity) }
            chunks.append(chunk)
        }
        chunks[count >> Self.chunkShift].append(child)
        place(position: count)
        count += 1
        version &+= 1
        return .added
    }

    /// A hash table for the children of `contents` with room for one more, built outside
    /// the lock (see `replaceSlots`).
    static func slots(for contents: Contents) -> [Int32] {
        var slotCount = 8
        while (contents.count + 1) * 2 > slotCount { slotCount *= 2 }
        var slots = [Int32](repeating: 0, count: slotCount)
        let mask = slotCount - 1
        var position = 0
        for chunk in contents.chunks {
            for child in chunk {
                var slot = child.hash & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                position += 1
                slots[slot] = Int32(position)
            }
        }
        return slots
    }

    /// Puts in `slots`, made by `slots(for:)` from the contents at `version`, unless a child
    /// was added or removed since (then they are stale) or the table grew already; returns
    /// the slots that are not kept, for the caller to release after the lock.
    mutating func replaceSlots(with slots: [Int32], madeFor version: UInt64) -> [Int32] {
        guard version == self.version, slots.count > self.slots.count else { return slots }
        var replaced = slots
        swap(&replaced, &self.slots)
        return replaced
    }

    /// Removes the child at `position`, the last child moving into its place; returns it,
    /// for the caller to release after the lock.
    mutating func remove(at position: Int) -> Child {
        let mask = slots.count - 1
        // Backward-shift deletion: pull later entries of the probe run into the gap, so
        // that every lookup still finds its entry without passing an empty slot.
        var gap = slot(holding: position)
        var next = (gap + 1) & mask
        while slots[next] != 0 {
            let home = hash(at: Int(slots[next]) - 1) & mask
            // The entry may move into the gap unless its home lies cyclically in (gap, next].
            let homeAfterGap = next > gap ? (home > gap && home <= next) : (home > gap || home <= next)
            if !homeAfterGap {
                slots[gap] = slots[next]
                gap = next
            }
            next = (next + 1) & mask
        }
        slots[gap] = 0
        let last = count - 1
        let removed = chunks[position >> Self.chunkShift][position & (Self.chunkCapacity - 1)]
        if position != last { slots[slot(holding: last)] = Int32(position + 1) }
        let moved = chunks[last >> Self.chunkShift].removeLast()
        if position != last { chunks[position >> Self.chunkShift][position & (Self.chunkCapacity - 1)] = moved }
        if chunks[chunks.count - 1].isEmpty { chunks.removeLast() }
        count -= 1
        version &+= 1
        return removed
    }

    /// Removes every child; returns them, for the caller to release after the lock.
    mutating func removeAll() -> [[Child]] {
        var removed: [[Child]] = []
        swap(&removed, &chunks)
        count = 0
        slots = [Int32](repeating: 0, count: 8)
        version &+= 1
        return removed
    }

    /// Each position's place in the order of the children's label values.
    static func ranks(of contents: Contents) -> [Int32] {
        let labelValues = contents.chunks.flatMap { $0.map(\.labelValues) }
        let order = labelValues.withUnsafeBufferPointer { labelValues in
            (0..<Int32(labelValues.count)).sorted {
                labelValues[Int($0)].lexicographicallyPrecedes(labelValues[Int($1)])
            }
        }
        var ranks = [Int32](repeating: 0, count: order.count)
        for (rank, position) in order.enumerated() { ranks[Int(position)] = Int32(rank) }
        return ranks
    }

    /// Keeps `ranks`, sorted from the contents at `version`, unless a child was added or
    /// removed since; returns the order that is not kept, for the caller to release after the lock.
    mutating func keep(_ ranks: [Int32], madeFor version: UInt64) -> [Int32] {
        guard version == self.version else { return ranks }
        var replaced = ranks
        swap(&replaced, &order.ranks)
        order.version = version
        return replaced
    }

    /// The slot that points at `position`.
    private func slot(holding position: Int) -> Int {
        let mask = slots.count - 1
        var slot = hash(at: position) & mask
        while Int(slots[slot]) != position + 1 { slot = (slot + 1) & mask }
        return slot
    }

    /// Points the first free slot of the child's probe run at `position`.
    private mutating func place(position: Int) {
        let mask = slots.count - 1
        var slot = hash(at: position) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(position + 1)
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
