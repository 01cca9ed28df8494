import Synchronization

/// A value that only goes up, or resets to zero when the process restarts.
///
/// Use a counter for things that happen: requests served, errors, bytes sent, jobs
/// completed. Never use one for something that can go down (queue length, memory in
/// use, in-flight requests): that is a `Gauge`. A counter's raw value depends on when
/// the process started, so it is almost always queried through a rate:
/// `rate(http_requests_total[5m])` is requests per second over the last five minutes,
/// and `rate` understands the drop to zero after a restart as a reset, not a fall.
///
/// Exposed with the `_total` suffix (`http_requests` becomes `http_requests_total`; a
/// name given with `_total` is not doubled).
/// See https://prometheus.io/docs/concepts/metric_types/#counter
public final class Counter: Sendable {
    /// The series this counter is, for error messages: name and labels.
    @usableFromInline let identity: String
    // Whole increments take the cheapest path, one relaxed atomic add on an integer word;
    // fractional ones go to a second word holding a Double's bits. The value is the sum of
    // both, over the stripes of threads that recorded (see `StripedWords`).
    @usableFromInline let words = StripedWords(words: 2)
    @inlinable static var wholeWord: Int { 0 }
    @inlinable static var fractionWord: Int { 1 }
    /// The latest exemplar, in slots made by the first increment that carries one: a
    /// plain increment never looks here.
    let exemplarSlots = AtomicLazyReference<ExemplarSlots>()

    init(identity: String) {
        self.identity = identity
    }

    /// Adds one.
    @inlinable @inline(__always)
    public func inc() {
        words.block()[Counter.wholeWord].wrappingAdd(1, ordering: .relaxed)
    }

    /// Adds `amount`, which must be finite and not negative.
    ///
    /// A negative or NaN amount is a programming error: a counter that goes down would
    /// be read by `rate()` as a restart and produce a wrong, huge rate. It stops the
    /// program with a message naming the metric, as an out-of-range index does.
    @inlinable @inline(__always)
    public func inc(by amount: Double) {
        // fatalError, not precondition: its message survives optimised builds.
        guard amount >= 0, amount < .infinity else { Counter.reject(identity, amount) }
        let block = words.block()
        if let steps = UInt64(exactly: amount) {
            block[Counter.wholeWord].wrappingAdd(steps, ordering: .relaxed)
        } else {
            block[Counter.fractionWord].addDouble(amount)
        }
    }

    /// Adds `amount` (one by default) and keeps an exemplar of it: `labels` (such as the
    /// trace id of the request counted), the amount, and `timestamp` in seconds since the
    /// epoch if given.
    ///
    /// The counter keeps only the latest exemplar; OpenMetrics writes it on the `_total`
    /// line. Throws `MetricsError.invalidExemplar`, and counts nothing, when OpenMetrics
    /// could not carry the exemplar (see `Exemplar`). Costs more than `inc(by:)`: a lock and
    /// a copy of the labels; use it for the increments worth an example, not every one.
    public func inc(by amount: Double = 1, exemplar labels: [String: String], timestamp: Double? = nil) throws {
        let exemplar = try Exemplar(labels: labels, value: amount, timestamp: timestamp)
        inc(by: amount)
        let slots = exemplarSlots.load() ?? exemplarSlots.storeIfNil(ExemplarSlots(count: 1))
        slots.store(exemplar, at: 0)
    }

    /// The latest exemplar, or nil when no increment carried one.
    public var exemplar: Exemplar? {
        exemplarSlots.load()?.exemplars[0]
    }

    /// The current value.
    public var value: Double {
        Double(words.sum(word: Counter.wholeWord)) + words.sumDouble(word: Counter.fractionWord)
    }

    @usableFromInline @inline(never)
    static func reject(_ identity: String, _ amount: Double) -> Never {
        fatalError("counter \(identity): increment must be finite and not negative, got \(amount). "
            + "A counter only goes up (or resets to zero on restart); use a Gauge for a value that goes down")
    }
}
