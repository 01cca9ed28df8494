import Foundation
import Platform
import XCTest

@testable import HTTP
@testable import Instrumentation
@testable import Scraping
@testable import TimeSeries

/// Targets that misbehave on purpose: each test plays one attack from a loopback server and
/// checks that the client or the scraper gives up within its deadline or at its limit, with
/// one line saying why. Every server serves one connection and stops by itself within
/// `HostileServer.lifetime` seconds, whatever the client does.
final class HostileTargetTests: XCTestCase {
    // MARK: Deadlines and head limits

    func testEndlessInterimResponsesFailAtTheSixthInsteadOfRunningForever() throws {
        let server = try HostileServer { peer in
            while peer.send("HTTP/1.1 100 Continue\r\n\r\n") {}
        }
        let started = SystemClock.monotonicSeconds()
        XCTAssertThrowsError(try HTTPClient.get(url: server.url, timeout: 2)) {
            XCTAssertEqual("\($0)", "malformed response from \(server.url): more than 5 interim (1xx) responses before the final one")
        }
        XCTAssertLessThan(SystemClock.monotonicSeconds() - started, 1, "refused at the count, long before the deadline")
        XCTAssertTrue(server.waitUntilFinished())
    }

    func testInterimResponsesThatTrickleStillEndAtTheDeadline() throws {
        // Each interim response arrives a byte at a time, so the count is never reached in time.
        let server = try HostileServer { peer in
            while peer.trickle("HTTP/1.1 100 Continue\r\n\r\n", every: 0.01) {}
        }
        let seconds = try expectTimeout(from: server, timeout: 0.5)
        XCTAssertLessThan(seconds, 1.5)
    }

    func testAHeadThatTricklesForeverEndsAtTheDeadline() throws {
        let server = try HostileServer { peer in
            guard peer.send("HTTP/1.1 200 OK\r\n") else { return }
            while peer.trickle("X-Never-Ends: yes\r\n", every: 0.005) {}
        }
        let seconds = try expectTimeout(from: server, timeout: 0.5)
        XCTAssertLessThan(seconds, 1.5)
    }

    func testAHeadFloodWithoutABlankLineStopsAtTheHeadLimit() throws {
        let line = Array("X-Flood: \(String(repeating: "a", count: 1000))\r\n".utf8)
        let server = try HostileServer { peer in
            guard peer.send("HTTP/1.1 200 OK\r\n") else { return }
            while peer.send(line) {}
        }
        let started = SystemClock.monotonicSeconds()
        XCTAssertThrowsError(try HTTPClient.get(url: server.url, timeout: 10)) {
            XCTAssertEqual("\($0)", "malformed response from \(server.url): the header is longer than 64 KiB")
        }
        // Refused after 64 KiB, scanned once each: milliseconds, not the deadline.
        XCTAssertLessThan(SystemClock.monotonicSeconds() - started, 1)
        XCTAssertTrue(server.waitUntilFinished())
    }

    func testAHeadFloodWithoutAnyLineBreakStopsAtTheHeadLimit() throws {
        let junk = [UInt8](repeating: UInt8(ascii: "x"), count: 16 * 1024)
        let server = try HostileServer { peer in
            while peer.send(junk) {}
        }
        let started = SystemClock.monotonicSeconds()
        XCTAssertThrowsError(try HTTPClient.get(url: server.url, timeout: 10)) {
            XCTAssertEqual("\($0)", "malformed response from \(server.url): the header is longer than 64 KiB")
        }
        XCTAssertLessThan(SystemClock.monotonicSeconds() - started, 1)
        XCTAssertTrue(server.waitUntilFinished())
    }

    func testAHeadJustUnderTheLimitArrivingInPiecesIsRead() throws {
        // 60 KiB of header fields in 1 KiB writes: the search for the end resumes where it
        // stopped, so the many reads cost no more than one.
        let field = "X-Padding: \(String(repeating: "p", count: 1011))\r\n"
        let server = try HostileServer { peer in
            var sent = peer.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n")
            for _ in 0..<60 where sent { sent = peer.send(field) }
            if sent { _ = peer.send("\r\nok") }
        }
        let response = try HTTPClient.get(url: server.url, timeout: 5)
        XCTAssertEqual(response.text, "ok")
        XCTAssertEqual(response.headers.values(for: "X-Padding").count, 60)
        XCTAssertTrue(server.waitUntilFinished())
    }

    func testABodyThatTricklesForeverEndsAtTheDeadline() throws {
        let server = try HostileServer { peer in
            guard peer.send("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n") else { return }
            while peer.trickle("up 1\n", every: 0.005) {}
        }
        let seconds = try expectTimeout(from: server, timeout: 0.5)
        XCTAssertLessThan(seconds, 1.5)
    }

    func testAnUnlimitedBodyThatNeverEndsStillEndsAtTheDeadline() throws {
        // No Content-Length and no body limit: only the deadline is left to stop the read.
        let block = [UInt8](repeating: UInt8(ascii: "#"), count: 32 * 1024)
        let server = try HostileServer { peer in
            guard peer.send("HTTP/1.1 200 OK\r\n\r\n") else { return }
            while peer.send(block) { peer.pause(0.001) }
        }
        let started = SystemClock.monotonicSeconds()
        XCTAssertThrowsError(try HTTPClient.get(url: server.url, timeout: 0.5, maxBodyBytes: .max)) {
            XCTAssertEqual("\($0)", "no complete response from \(server.url) within 0.5 seconds")
        }
        XCTAssertLessThan(SystemClock.monotonicSeconds() - started, 1.5)
        XCTAssertTrue(server.waitUntilFinished())
    }

    // MARK: Body framing

    func testAnEmptyContentLengthIsAnErrorNotAnEmptyBody() throws {
        let server = try HostileServer { peer in
            _ = peer.send("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\nup 1\n")
        }
        XCTAssertThrowsError(try HTTPClient.get(url: server.url, timeout: 2)) {
            XCTAssertEqual("\($0)", "malformed response from \(server.url): an empty Content-Length is not a number of bytes")
        }
        XCTAssertTrue(server.waitUntilFinished())
    }

    func testContentLengthMustBeDigitsAndAgree() throws {
        let cases = [
            ("Content-Length: +5\r\n", #"Content-Length "+5" is not a number of bytes"#),
            ("Content-Length: 5\r\nContent-Length: 6\r\n", "2 Content-Length fields that disagree"),
        ]
        for (fields, reason) in cases {
            let server = try HostileServer { peer in
                _ = peer.send("HTTP/1.1 200 OK\r\n\(fields)\r\nhello")
            }
            XCTAssertThrowsError(try HTTPClient.get(url: server.url, timeout: 2)) {
                XCTAssertEqual("\($0)", "malformed response from \(server.url): \(reason)")
            }
            XCTAssertTrue(server.waitUntilFinished())
        }
    }

    func testAContentLengthOverTheLimitFailsBeforeTheBody() throws {
        // The server announces a body and never sends it: the client must not wait for it.
        let server = try HostileServer { peer in
            guard peer.send("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n") else { return }
            peer.waitForHangUp()
        }
        let started = SystemClock.monotonicSeconds()
        XCTAssertThrowsError(try HTTPClient.get(url: server.url, timeout: 5, maxBodyBytes: 1000)) {
            XCTAssertEqual("\($0)", "the response body from \(server.url) is larger than the limit of 1000 bytes")
        }
        XCTAssertLessThan(SystemClock.monotonicSeconds() - started, 1)
        XCTAssertTrue(server.waitUntilFinished())
    }

    // MARK: Scrape limits

    func testAHugeExpositionFailsAtTheSampleLimitWithoutStoringIt() throws {
        // 300,000 tiny series against the default sample_limit of 200,000.
        var exposition = [UInt8]()
        exposition.reserveCapacity(3_600_000)
        for index in 0..<300_000 { exposition += Array("s\(index) 1\n".utf8) }
        let store = SeriesStore()
        let started = SystemClock.monotonicSeconds()
        let report = try scrape(serving: exposition, into: store)
        XCTAssertFalse(report.up)
        XCTAssertEqual(report.error, "sample limit exceeded (300000 > 200000)")
        XCTAssertLessThan(SystemClock.monotonicSeconds() - started, 5, "counted, not parsed and stored")
        try assertOnlyTheScrapeSeries(in: store, up: 0)
    }

    func testEachLabelLimitFailsTheScrapeWithPrometheussMessage() throws {
        let cases: [(exposition: String, limits: Scraper.Limits, error: String)] = [
            (#"wide{a="1",b="2",c="3",d="4"} 1"#, Scraper.Limits(labelLimit: 6),
             "label_limit exceeded (metric: wide, number of labels: 7, limit: 6)"),
            (#"named{a_rather_long_name="1"} 1"#, Scraper.Limits(labelNameLengthLimit: 10),
             "label_name_length_limit exceeded (metric: named, label name: a_rather_long_name, length: 18, limit: 10)"),
            // Lengths are UTF-8 bytes: nine é are eighteen bytes. (The limit leaves room for the
            // instance, 127.0.0.1:port, which is checked too.)
            (#"valued{city="ééééééééé"} 1"#, Scraper.Limits(labelValueLengthLimit: 16),
             #"label_value_length_limit exceeded (metric: valued, label name: city, value: "ééééééééé", length: 18, limit: 16)"#),
            // The metric name is the value of __name__.
            ("a_metric_name_of_thirty_bytes_ 1", Scraper.Limits(labelValueLengthLimit: 29),
             #"label_value_length_limit exceeded (metric: a_metric_name_of_thirty_bytes_, label name: __name__, value: "a_metric_name_of_thirty_bytes_", length: 30, limit: 29)"#),
        ]
        for (exposition, limits, error) in cases {
            let store = SeriesStore()
            let report = try scrape(serving: Array("ok 1\n\(exposition)\n".utf8), into: store, limits: limits)
            XCTAssertFalse(report.up)
            XCTAssertEqual(report.error, error)
            try assertOnlyTheScrapeSeries(in: store, up: 0)
        }
    }

    func testTheLabelLimitsAllowWhatTheyName() throws {
        // Seven labels with __name__, job and instance; names of up to 8 bytes; values of up to 16.
        let limits = Scraper.Limits(labelLimit: 7, labelNameLengthLimit: 8, labelValueLengthLimit: 16)
        let report = try scrape(serving: Array(#"wide{a="éééééééé",b="2",c="3",d="4"} 1"#.utf8), into: SeriesStore(), limits: limits)
        XCTAssertTrue(report.up, report.error ?? "")
    }

    func testABodyOverTheSizeLimitFailsTheScrape() throws {
        let limits = Scraper.Limits(bodySizeLimit: 1000)
        let body = Array(String(repeating: "padding_metric 1\n", count: 100).utf8)
        // Announced by Content-Length, and sent without one (read until the limit is passed).
        for announced in [true, false] {
            let store = SeriesStore()
            let report = try scrape(serving: body, into: store, limits: limits, announcingLength: announced)
            XCTAssertFalse(report.up)
            XCTAssertEqual(report.error, "body size limit exceeded (more than 1000 bytes)")
            try assertOnlyTheScrapeSeries(in: store, up: 0)
        }
    }

    func testABadGatewayIsReportedWithItsReasonPhrase() throws {
        XCTAssertEqual(HTTPResponse(status: 502).reasonPhrase, "Bad Gateway")
        XCTAssertEqual(HTTPResponse(status: 504).reasonPhrase, "Gateway Timeout")
        XCTAssertEqual(HTTPResponse(status: 599).reasonPhrase, "Server Error")
        let server = HTTPServer(port: 0) { _ in HTTPResponse.text("upstream is down\n", status: 502) }
        try server.start()
        defer { server.stop() }
        let report = Scraper(store: SeriesStore()).scrape(
            Scraper.Target(job: "proxied", source: HTTPScrapeSource(url: "http://127.0.0.1:\(server.port)/metrics")))
        XCTAssertEqual(report.error, "server returned HTTP status 502 Bad Gateway")
    }

    // MARK: Helpers

    /// Fetches from `server`, expects the deadline to end it, and returns how long it took.
    private func expectTimeout(from server: HostileServer, timeout: Double) throws -> Double {
        let started = SystemClock.monotonicSeconds()
        XCTAssertThrowsError(try HTTPClient.get(url: server.url, timeout: timeout)) {
            XCTAssertEqual("\($0)", "no complete response from \(server.url) within \(timeout) seconds")
        }
        let seconds = SystemClock.monotonicSeconds() - started
        XCTAssertGreaterThanOrEqual(seconds, timeout * 0.9, "not before the deadline either")
        XCTAssertTrue(server.waitUntilFinished())
        return seconds
    }

    /// Scrapes a loopback target that serves `exposition` (0.0.4 text) once.
    private func scrape(
        serving exposition: [UInt8], into store: SeriesStore, limits: Scraper.Limits = Scraper.Limits(),
        clock: ManualClock = ManualClock(1_000), announcingLength: Bool = true
    ) throws -> ScrapeReport {
        let length = announcingLength ? "Content-Length: \(exposition.count)\r\n" : ""
        let head = Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n\(length)Connection: close\r\n\r\n".utf8)
        let server = try HostileServer { peer in _ = peer.send(head + exposition) }
        let scraper = Scraper(store: store, clock: clock, timeout: 5, limits: limits)
        let report = scraper.scrape(Scraper.Target(job: "hostile", source: HTTPScrapeSource(url: server.url)))
        XCTAssertTrue(server.waitUntilFinished())
        return report
    }

    /// Checks that the store holds nothing from the target, only the series about the scrape.
    private func assertOnlyTheScrapeSeries(in store: SeriesStore, up: Double, line: UInt = #line) throws {
        let stored = store.select([try LabelMatcher("job", .equal, "hostile")], from: 0, through: .max)
        XCTAssertEqual(stored.map(\.labels.metricName).sorted(), ["scrape_duration_seconds", "scrape_samples_scraped", "up"], line: line)
        XCTAssertEqual(stored.first { $0.labels.metricName == "up" }?.samples.map(\.value), [up], line: line)
    }
}

/// A loopback server that plays one hostile target for one connection.
///
/// It accepts a single connection, reads the request, and hands the socket to the
/// behaviour, which writes what it likes. Every send fails once the client has gone or
/// `lifetime` seconds have passed since the server started, so a behaviour that loops
/// "forever" ends by itself, and so does a server nobody connects to.
final class HostileServer: @unchecked Sendable {
    /// The most seconds a server lives.
    static let lifetime = 5.0

    /// The connection, as the behaviour sees it.
    struct Peer {
        let descriptor: Int32
        /// When the server gives up, in `SystemClock.monotonicSeconds()`.
        let deadline: Double

        /// Sends all of `bytes`; false once the client is gone or the lifetime is over.
        func send(_ bytes: [UInt8]) -> Bool {
            var sent = 0
            while sent < bytes.count {
                guard ready(for: Int16(POLLOUT)) else { return false }
                let count = bytes.withUnsafeBytes { Sockets.send(descriptor, $0.baseAddress! + sent, $0.count - sent) }
                if count > 0 {
                    sent += count
                } else if count < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR {
                    return false
                }
            }
            return true
        }

        func send(_ text: String) -> Bool {
            send(Array(text.utf8))
        }

        /// Sends `text` a byte at a time, `seconds` apart; false as `send` is.
        func trickle(_ text: String, every seconds: Double) -> Bool {
            for byte in text.utf8 {
                guard send([byte]) else { return false }
                pause(seconds)
            }
            return true
        }

        /// Waits `seconds`, or until the lifetime is over.
        func pause(_ seconds: Double) {
            let remaining = deadline - SystemClock.monotonicSeconds()
            if remaining > 0 { Thread.sleep(forTimeInterval: min(seconds, remaining)) }
        }

        /// Waits until the client closes the connection, or until the lifetime is over.
        func waitForHangUp() {
            var byte: UInt8 = 0
            while ready(for: Int16(POLLIN)) {
                let count = recv(descriptor, &byte, 1, 0)
                if count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) { return }
            }
        }

        /// Waits until the socket is ready for `events`; false when the lifetime is over or the client hung up.
        func ready(for events: Int16) -> Bool {
            while true {
                let remaining = deadline - SystemClock.monotonicSeconds()
                guard remaining > 0 else { return false }
                var entry = pollfd(fd: descriptor, events: events, revents: 0)
                let result = poll(&entry, 1, Int32(min(remaining, 0.1) * 1000) + 1)
                if result > 0 { return entry.revents & Int16(POLLERR | POLLHUP) == 0 || entry.revents & events != 0 }
                if result < 0, errno != EINTR { return false }
            }
        }
    }

    let port: UInt16
    var url: String { "http://127.0.0.1:\(port)/metrics" }
    private let finished = DispatchSemaphore(value: 0)

    /// Starts listening on a free loopback port and serves one connection with `behaviour`.
    init(behaviour: @escaping @Sendable (Peer) -> Void) throws {
        let listener = Sockets.makeStreamSocket(family: AF_INET, nonBlocking: true)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard listener >= 0, bound == 0, listen(listener, 4) == 0 else {
            let reason = String(cString: strerror(errno))
            close(listener)
            throw LoopbackConnection.Refused(reason: reason)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        let deadline = SystemClock.monotonicSeconds() + Self.lifetime
        let finished = finished
        Thread.detachNewThread {
            defer {
                close(listener)
                finished.signal()
            }
            guard Peer(descriptor: listener, deadline: deadline).ready(for: Int16(POLLIN)) else { return }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            defer { close(connection) }
            Sockets.prepareAccepted(connection)
            let peer = Peer(descriptor: connection, deadline: deadline)
            Self.readRequest(from: peer)
            behaviour(peer)
        }
    }

    /// Waits for the server to stop (it always does within `lifetime`); false if it did not.
    func waitUntilFinished() -> Bool {
        finished.wait(timeout: .now() + Self.lifetime + 2) == .success
    }

    /// Reads until the blank line that ends the request head, or until the lifetime is over.
    private static func readRequest(from peer: Peer) {
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let end = Array("\r\n\r\n".utf8)
        while request.count < 64 * 1024, !request.suffix(4).elementsEqual(end), peer.ready(for: Int16(POLLIN)) {
            let count = recv(peer.descriptor, &buffer, buffer.count, 0)
            if count > 0 {
                request += buffer[0..<count]
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                return
            }
        }
    }
}
