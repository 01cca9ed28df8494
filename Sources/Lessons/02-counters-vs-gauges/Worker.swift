import Instrumentation
import WorkbookKit

/// The lesson's worker: a service that takes requests from a queue, a few at a time, and
/// keeps two counters and three gauges about it.
///
/// The demo and `lesson serve 2` both build it from the same registry; asking a registry
/// again with identical definitions returns the metrics it already holds, so both move the
/// same numbers.
struct Worker {
    /// Requests the worker has finished, successful or not: a counter, since each is an event.
    let requests: Counter
    /// Requests that failed: a counter too. Divide its rate by the requests' rate for an error ratio.
    let errors: Counter
    /// Requests waiting to be picked up: a gauge, since picking one up makes it smaller.
    let queueLength: Gauge
    /// Requests being processed right now: a gauge, since each one that finishes lowers it.
    let inFlight: Gauge
    /// The CPU's temperature: a gauge, since it is a reading, not a total.
    let temperature: Gauge

    /// How many requests the worker starts per second at most.
    static let capacity = 4.0
    /// Where the temperature sensor reads when the worker is idle.
    static let idleTemperature = 42.0

    /// The worker's metrics in `registry`, created the first time and found again after that.
    init(registry: Registry) throws {
        requests = try registry.makeCounter(name: "worker_requests_total", help: "Requests the worker has finished, successful or not.")
        errors = try registry.makeCounter(name: "worker_errors_total", help: "Requests the worker has finished with an error.")
        queueLength = try registry.makeGauge(name: "worker_queue_length", help: "Requests waiting in the queue to be picked up.")
        inFlight = try registry.makeGauge(name: "worker_requests_in_flight", help: "Requests the worker is processing right now.")
        temperature = try registry.makeGauge(
            name: "worker_cpu_temperature_celsius", help: "Temperature of the worker's CPU, in degrees Celsius.", unit: "celsius")
    }

    /// One second of the worker's life, with `arrivalsPerSecond` new requests on average.
    func runOneSecond(arrivalsPerSecond: Double, random: inout SeededRandom) {
        // Last second's requests finish now. Finishing is an event: the counters go up.
        for _ in 0..<Int(inFlight.value) {
            requests.inc()
            if random.unit() < 0.05 { errors.inc() }
        }
        // New requests join the queue: the gauge goes up...
        let arrivals = Double(random.next(below: UInt64(2 * arrivalsPerSecond) + 1))
        queueLength.add(arrivals)
        // ...and the worker picks up as many as it can, so it goes down again.
        let started = min(queueLength.value, Self.capacity)
        queueLength.add(-started)
        inFlight.set(started)
        // The CPU warms towards a temperature set by the work, a quarter of the way each second.
        let target = Self.idleTemperature + 3 * started
        let reading = temperature.value + (target - temperature.value) / 4 + (random.unit() - 0.5) / 2
        temperature.set((reading * 10).rounded() / 10)
    }

    /// The average arrivals per second at `second`: 2.5, or 6 during a busy spell that the
    /// worker cannot keep up with, so its queue grows and then drains.
    static func arrivalsPerSecond(atSecond second: Int, busy: Range<Int>) -> Double {
        busy.contains(second) ? 6 : 2.5
    }
}
