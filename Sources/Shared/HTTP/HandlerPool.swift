import Dispatch
import Platform

/// The threads that run a server's handler, so that the event loop never waits for one.
///
/// The loop hands over a parsed request; a worker calls the handler, turns the response
/// into bytes and hands them back through `takeCompletions()`, then wakes the loop. The
/// number of threads is fixed, so a burst of slow requests queues instead of spawning
/// threads; each connection has at most one request here at a time, which keeps
/// pipelined responses in order.
final class HandlerPool: Sendable {
    /// A request waiting for the handler.
    struct Job: Sendable {
        /// The connection the answer goes to.
        let connection: UInt64
        let request: HTTPRequest
        /// Whether the server will keep the connection open after answering.
        let keepAlive: Bool
    }

    /// A handler's answer, ready to write.
    struct Completion: Sendable {
        let connection: UInt64
        let bytes: [UInt8]
        /// Whether the connection closes once the bytes are written.
        let close: Bool
    }

    private struct Queue {
        var jobs: [Job] = []
        var stopping = false
    }

    private let handler: @Sendable (HTTPRequest) -> HTTPResponse
    private let wake: @Sendable () -> Void
    private let queue = Locked(Queue())
    private let jobsWaiting = DispatchSemaphore(value: 0)
    private let completions = Locked<[Completion]>([])
    private let workers = Locked<[JoinableThread]>([])

    /// A pool calling `handler`; `wake` tells the event loop that completions are waiting.
    init(handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse, wake: @escaping @Sendable () -> Void) {
        self.handler = handler
        self.wake = wake
    }

    /// Starts `count` worker threads.
    func start(count: Int) throws(HTTPServerError) {
        for _ in 0..<count {
            do {
                let worker = try JoinableThread { [self] in work() }
                workers.withLock { $0.append(worker) }
            } catch {
                throw HTTPServerError(error)
            }
        }
    }

    /// Queues a request for the next free worker.
    func submit(_ job: Job) {
        queue.withLock { $0.jobs.append(job) }
        jobsWaiting.signal()
    }

    /// The answers finished since the last call, in the order they finished.
    func takeCompletions() -> [Completion] {
        completions.withLock { finished in
            defer { finished.removeAll() }
            return finished
        }
    }

    /// Lets every worker finish the handler call it is in, then waits for all of them to end.
    func stop() {
        queue.withLock { $0.stopping = true }
        let stopping = workers.withLock { workers in
            defer { workers.removeAll() }
            return workers
        }
        for _ in stopping { jobsWaiting.signal() }
        for worker in stopping { worker.join() }
    }

    private func work() {
        while true {
            // Each signal stands for one queued job or, once stopping, for one worker to end.
            jobsWaiting.wait()
            let job: Job? = queue.withLock { $0.stopping || $0.jobs.isEmpty ? nil : $0.jobs.removeFirst() }
            guard let job else { return }
            let response = handler(job.request)
            let encoded = response.encoded(answering: job.request, keepAlive: job.keepAlive)
            completions.withLock { $0.append(Completion(connection: job.connection, bytes: encoded.bytes, close: encoded.close)) }
            wake()
        }
    }
}
