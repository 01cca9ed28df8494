import Foundation
import Platform
import XCTest

@testable import Instrumentation
@testable import HTTP
@testable import WorkbookKit

/// Hostile and careless clients cannot crash the server, wedge it, or keep it from serving
/// `/metrics`. Timeouts are shrunk to about a second so each test takes a few seconds.
final class ServerAbuseTests: XCTestCase {
    private let quick = HTTPServerLimits(idleTimeout: 1, requestTimeout: 1)

    /// After each test's abuse, a scrape must still be answered promptly.
    private func assertMetricsAnswerWithinOneSecond(_ server: HTTPServer, file: StaticString = #filePath, line: UInt = #line) {
        let started = Date()
        do {
            let response = try HTTPClient.get(url: server.url + "/metrics", timeout: 1)
            XCTAssertEqual(response.status, 200, file: file, line: line)
            XCTAssertTrue(response.text.contains("abuse_probe_total 1"), String(response.text.prefix(300)), file: file, line: line)
        } catch {
            XCTFail("/metrics did not answer: \(error)", file: file, line: line)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, file: file, line: line)
    }

    private func startMetricsServer(limits: HTTPServerLimits) throws -> HTTPServer {
        let registry = Registry()
        try registry.makeCounter(name: "abuse_probe", help: "Present so a scrape has something to show.").inc()
        return try startTestServer(limits: limits, handler: MetricsEndpoint(registry: registry).makeHandler())
    }

    func testGarbageBytesGet400OrAreDroppedAndNeverWedgeTheServer() throws {
        let server = try startMetricsServer(limits: quick)
        defer { server.stop() }
        var random = SeededRandom(seed: 7)
        var payloads: [[UInt8]] = [
            [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03] + Array(repeating: 0, count: 32) + [13, 10, 13, 10],
            Array("\u{0}\u{0}\u{0}GET / HTTP/1.1\r\n\r\n".utf8),
            Array("GET / HTTP/1.1\r\nHost: t\r\n\u{1}\u{2}\u{3}: x\r\n\r\n".utf8),
            Array(repeating: 13, count: 5000) + Array(repeating: 10, count: 5000),
            Array(repeating: UInt8(ascii: ":"), count: 20_000),
            Array("GET /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999999999999999\r\n\r\n".utf8),
        ]
        for _ in 0..<20 {
            let length = Int(random.next(below: 3000)) + 1
            payloads.append((0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) } + [13, 10, 13, 10])
        }
        for payload in payloads {
            let connection = try LoopbackConnection(port: server.port)
            connection.send(payload)
            let answer = connection.readUntilClosed(timeout: 4)
            XCTAssertTrue(answer.closed, "the server kept a garbage connection open: \(payload.prefix(16))")
            let statusLine = String(decoding: answer.bytes.prefix(12), as: UTF8.self)
            XCTAssertTrue(["HTTP/1.1 400", "HTTP/1.1 408", "HTTP/1.1 414", "HTTP/1.1 431"].contains(statusLine),
                          "unexpected answer \(statusLine.debugDescription) to \(payload.prefix(16))")
        }
        assertMetricsAnswerWithinOneSecond(server)
    }

    func testGarbageFromManyClientsAtOnceThenHangingUp() throws {
        let server = try startMetricsServer(limits: quick)
        defer { server.stop() }
        var random = SeededRandom(seed: 11)
        var connections: [LoopbackConnection] = []
        for index in 0..<60 {
            let connection = try LoopbackConnection(port: server.port)
            let bytes = (0..<Int(random.next(below: 500) + 1)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            connection.send(index.isMultiple(of: 3) ? Array("GET /metrics HTTP/1.1\r\nHost: t\r\nX-Half: ".utf8) : bytes)
            connections.append(connection)
        }
        // Half hang up with a reset mid-request, as a crashed client would; the rest just close.
        for (index, connection) in connections.enumerated() where index.isMultiple(of: 2) { connection.resetOnClose() }
        connections.removeAll()
        assertMetricsAnswerWithinOneSecond(server)
    }

    func testASlowlorisClientIsCutOffAtTheRequestTimeout() throws {
        let server = try startMetricsServer(limits: quick)
        defer { server.stop() }
        let connection = try LoopbackConnection(port: server.port)
        let request = Array("GET /metrics HTTP/1.1\r\nHost: t\r\nX-Trickle: \(String(repeating: "z", count: 100))\r\n\r\n".utf8)
        let started = Date()
        var sent = 0
        var answer: (bytes: [UInt8], closed: Bool) = ([], false)
        // One byte every 0.3 s: the whole request would take 30 s. Each wait doubles as the pause.
        while sent < request.count, Date().timeIntervalSince(started) < 8 {
            guard connection.send([request[sent]]) else { break }
            sent += 1
            answer = connection.readUntilClosed(timeout: 0.3)
            if answer.closed { break }
        }
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertTrue(answer.closed, "the slow client was never disconnected")
        XCTAssertLessThan(sent, request.count, "the whole request got through")
        XCTAssertGreaterThan(elapsed, 0.9, "cut off before the request timeout")
        XCTAssertLessThan(elapsed, 4, "cut off long after the 1 s request timeout")
        XCTAssertTrue(String(decoding: answer.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        assertMetricsAnswerWithinOneSecond(server)
    }

    func testIdleConnectionsMakeRoomForNewClientsWhenTheServerIsFull() throws {
        // Two sockets per connection on this machine: the client's and the server's.
        guard raiseOpenFileLimit(to: 4_500) >= 4_500 else {
            throw XCTSkip("this process may not open the 4,500 files 2,000 loopback connections need")
        }
        // Idle connections would be held for 30 s: only making room can serve a newcomer.
        let limits = HTTPServerLimits(idleTimeout: 30, requestTimeout: 30, maxConnections: 100)
        let server = try startMetricsServer(limits: limits)
        defer { server.stop() }
        // Half of the first hundred send the start of a head and stop (slowloris), half send nothing.
        var early: [LoopbackConnection] = []
        for index in 0..<100 {
            let connection = try LoopbackConnection(port: server.port)
            if index.isMultiple(of: 2) { _ = connection.send("GET /metrics HTTP/1.1\r\nHost: x\r\n") }
            early.append(connection)
        }
        Thread.sleep(forTimeInterval: 0.2)
        var late: [LoopbackConnection] = []
        for _ in 0..<1_900 { late.append(try LoopbackConnection(port: server.port)) }

        // A real scrape still gets its answer at once, with 2,000 idle or stalled sockets held.
        assertMetricsAnswerWithinOneSecond(server)

        // The early idle ones went first (then the later idle ones, oldest first); nobody was
        // answered with a 503, and the newest are held.
        var closedIdle = 0
        for (index, connection) in early.enumerated() {
            let answer = connection.readUntilClosed(timeout: 0.05)
            guard answer.closed else { continue }
            XCTAssertTrue(answer.bytes.isEmpty, "a connection made room for without a word")
            if !index.isMultiple(of: 2) { closedIdle += 1 }
        }
        XCTAssertEqual(closedIdle, 50, "every idle early connection made room")
        for connection in late.prefix(100) {
            XCTAssertTrue(connection.readUntilClosed(timeout: 0.02).bytes.isEmpty, "no 503")
        }
        let newest = late.suffix(40).map { $0.readUntilClosed(timeout: 0.05) }
        XCTAssertTrue(newest.allSatisfy { !$0.closed }, "the newest connections are held: closed \(newest.enumerated().filter { $0.element.closed }.map(\.offset))")
        early.removeAll()
        late.removeAll()
    }

    func testAClientThatNeverReadsHoldsOnlyItsOwnConnection() throws {
        // Megabyte responses, requested over and over by a client that reads none of them:
        // the socket buffers fill, and the server must wait on that socket alone.
        let registry = Registry()
        try registry.makeCounter(name: "abuse_probe", help: "Present so a scrape has something to show.").inc()
        let metrics = MetricsEndpoint(registry: registry)
        let page = HTTPResponse(body: Array(repeating: UInt8(ascii: "x"), count: 1 << 20))
        let server = try startTestServer(limits: quick) { request in metrics.handle(request) ?? page }
        defer { server.stop() }
        let requests = 40
        let hog = try LoopbackConnection(port: server.port)
        hog.send(String(repeating: "GET /big HTTP/1.1\r\nHost: t\r\n\r\n", count: requests))
        Thread.sleep(forTimeInterval: 0.3)
        assertMetricsAnswerWithinOneSecond(server)
        // A response that makes no progress for the idle timeout (1 s) is abandoned: reading
        // only now, the hog finds the connection closed with most responses never sent.
        Thread.sleep(forTimeInterval: 2)
        let received = hog.readUntilClosed(timeout: 3)
        XCTAssertTrue(received.closed, "the stalled connection was not dropped")
        XCTAssertLessThan(received.bytes.count, requests * page.body.count, "every response was sent, so the writes never stalled")
    }

    func testARequestBodyTricklingInIsCutOffToo() throws {
        let server = try startMetricsServer(limits: quick)
        defer { server.stop() }
        let connection = try LoopbackConnection(port: server.port)
        connection.send("POST /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\nonly a little")
        let started = Date()
        let answer = connection.readUntilClosed(timeout: 4)
        XCTAssertTrue(answer.closed)
        XCTAssertTrue(String(decoding: answer.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 408"))
        XCTAssertLessThan(Date().timeIntervalSince(started), 4)
        assertMetricsAnswerWithinOneSecond(server)
    }
}
