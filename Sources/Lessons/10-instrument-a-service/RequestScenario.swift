import Instrumentation
import WorkbookKit

/// A generated request for the checks: what its handler does, step by step, including
/// calling `instrument` again for a nested request, and how it ends.
struct RequestScenario: Sendable, CustomStringConvertible {
    /// One request and its handler.
    struct Request: Sendable {
        let method: String
        let route: String
        let steps: [Step]
        let ending: Ending
    }

    /// One thing a handler does.
    indirect enum Step: Sendable {
        /// Moves the manual clock on: the handler's work takes this many seconds.
        case advance(Double)
        /// Calls `instrument` for another request, catching what it throws when `catching`.
        case call(Request, catching: Bool)
    }

    /// How a handler ends.
    enum Ending: Sendable, Equatable {
        case status(Int)
        case fails
    }

    /// Where the clock stands when the first request starts, in seconds.
    let clockStart: Double
    let request: Request

    // MARK: Running

    /// Runs the scenario through `instrument` with fresh metrics and a manual clock, and
    /// returns everything it left behind.
    func run(_ instrument: @escaping InstrumentChecks.Instrument) throws -> RequestOutcome {
        let clock = ManualClock(clockStart)
        let metrics = try ServiceMetrics(registry: Registry(clock: clock))
        var events: [String] = []
        var started = 0
        func inFlight() -> String { formatSampleValue(metrics.inFlight.value, for: .prometheus) }
        func perform(_ request: Request) throws -> Int {
            started += 1
            let name = "request \(started)"
            return try instrument(request.method, request.route, metrics, clock) {
                events.append("in flight at the start of \(name): \(inFlight())")
                for step in request.steps {
                    switch step {
                    case .advance(let seconds):
                        clock.advance(by: seconds)
                    case .call(let inner, let catching):
                        let innerName = "request \(started + 1)"
                        do {
                            let status = try perform(inner)
                            events.append("\(innerName) returned \(status), then in flight: \(inFlight())")
                        } catch where catching && !(error is NotAttemptedYet) {
                            events.append("\(innerName) threw \(type(of: error)), then in flight: \(inFlight())")
                        }
                    }
                }
                switch request.ending {
                case .status(let code): return code
                case .fails: throw InstrumentChecks.HandlerFailed()
                }
            }
        }
        do {
            events.append("request 1 returned \(try perform(request))")
        } catch is NotAttemptedYet {
            throw NotAttemptedYet()
        } catch {
            events.append("request 1 threw \(type(of: error))")
        }
        events.append("in flight after all: \(inFlight())")
        return RequestOutcome(events: events, counts: RequestOutcome.counts(metrics), durations: RequestOutcome.durations(metrics))
    }

    // MARK: Describing

    var description: String {
        "clock at \(clockStart) s; " + Self.described(request)
    }

    private static func described(_ request: Request) -> String {
        let steps = request.steps.map { step -> String in
            switch step {
            case .advance(let seconds): "takes \(seconds) s"
            case .call(let inner, let catching): "calls instrument for [\(described(inner))]" + (catching ? " catching its error" : "")
            }
        }
        let ending = switch request.ending {
        case .status(let code): "returns \(code)"
        case .fails: "throws HandlerFailed"
        }
        return "\(shown(request.method)) \(shown(request.route)): " + (steps + [ending]).joined(separator: ", ")
    }

    // MARK: Generating

    private static let methods = ["GET", "POST", "PUT", "DELETE", "get"]
    private static let routes = ["/", "/api/orders", "/api/orders/:id", "/api/checkout", "/api/search", "/café", "/a b"]
    private static let statuses = [200, 200, 200, 201, 204, 301, 304, 404, 418, 429, 499, 500, 502, 503, 599]
    /// Durations on and next to the bucket bounds, and ones not exact in binary.
    private static let edgeDurations = [0.3, 0.1, 0.2, 0.05, 0.6, 1.2, 2.5, 5, 1e-9, 0, 100, 0.0004, 0.3 + 1e-12, 0.7]

    static func generate(_ random: inout SeededRandom) -> RequestScenario {
        guard random.next(below: 2) == 0 else {
            // Plain: one request that takes a while and answers 200.
            let seconds = Double(random.next(below: 2_000)) / 1_000
            return RequestScenario(clockStart: 1_000, request: Request(
                method: "GET", route: pick(["/", "/api/orders"], &random), steps: [.advance(seconds)], ending: .status(200)))
        }
        let clockStart = pick([1_000, 1_000, 1_700_000_000.123, 0], &random)
        return RequestScenario(clockStart: clockStart, request: request(depth: 0, &random))
    }

    private static func request(depth: Int, _ random: inout SeededRandom) -> Request {
        var steps: [Step] = []
        for _ in 0..<random.next(below: 4) {
            if depth < 2, random.next(below: 5) < 2 {
                steps.append(.call(request(depth: depth + 1, &random), catching: random.next(below: 2) == 0))
            } else {
                let seconds = random.next(below: 3) == 0 ? random.unit() * 3 : pick(edgeDurations, &random)
                steps.append(.advance(seconds))
            }
        }
        let ending: Ending = random.next(below: 10) < 3 ? .fails : .status(pick(statuses, &random))
        return Request(method: pick(methods, &random), route: pick(routes, &random), steps: steps, ending: ending)
    }

    private static func pick<Element>(_ elements: [Element], _ random: inout SeededRandom) -> Element {
        elements[Int(random.next(below: UInt64(elements.count)))]
    }

    // MARK: Shrinking

    /// Simpler scenarios: fewer steps, a nested request in place of its caller, plainer
    /// endings, durations, methods, routes and clock.
    static func shrink(_ scenario: RequestScenario) -> [RequestScenario] {
        var candidates = simpler(scenario.request).map { RequestScenario(clockStart: scenario.clockStart, request: $0) }
        if scenario.clockStart != 1_000 { candidates.append(RequestScenario(clockStart: 1_000, request: scenario.request)) }
        return candidates
    }

    private static func simpler(_ request: Request) -> [Request] {
        var candidates: [Request] = []
        func with(steps: [Step]? = nil, ending: Ending? = nil, method: String? = nil, route: String? = nil) -> Request {
            Request(method: method ?? request.method, route: route ?? request.route, steps: steps ?? request.steps, ending: ending ?? request.ending)
        }
        for (index, step) in request.steps.enumerated() {
            var fewer = request.steps
            fewer.remove(at: index)
            candidates.append(with(steps: fewer))
            switch step {
            case .advance(let seconds):
                for plainer in [0, 1, (seconds * 10).rounded() / 10] where plainer != seconds {
                    var changed = request.steps
                    changed[index] = .advance(plainer)
                    candidates.append(with(steps: changed))
                }
            case .call(let inner, let catching):
                candidates.append(inner)
                for innerSimpler in simpler(inner) {
                    var changed = request.steps
                    changed[index] = .call(innerSimpler, catching: catching)
                    candidates.append(with(steps: changed))
                }
                if catching {
                    var changed = request.steps
                    changed[index] = .call(inner, catching: false)
                    candidates.append(with(steps: changed))
                }
            }
        }
        if request.ending != .status(200) { candidates.append(with(ending: .status(200))) }
        if request.method != "GET" { candidates.append(with(method: "GET")) }
        if request.route != "/" { candidates.append(with(route: "/")) }
        return candidates
    }
}
