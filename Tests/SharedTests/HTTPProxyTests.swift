import Foundation
import TestSupport
import XCTest

@testable import HTTP
@testable import Platform

/// The proxy `lesson serve all` puts in front of the lesson service: what it passes on,
/// what it refuses, and that a slow origin cannot take the threads other routes need.
final class HTTPProxyTests: XCTestCase {
    func testAnswersPassThroughWithoutTheOriginsConnectionHeaders() throws {
        let origin = try startTestServer { request in
            var response = HTTPResponse.text("items for \(request.query)\n", status: 201)
            response.headers["Connection"] = "close"
            response.headers["X-Shop"] = "yes"
            return response
        }
        defer { origin.stop() }
        let proxy = HTTPProxy(origin: origin.url, maxConcurrent: 2)
        let answer = proxy.forward(HTTPRequest(method: "GET", path: "/api/items", query: "page=2"))
        XCTAssertEqual(answer.status, 201)
        XCTAssertEqual(String(decoding: answer.body, as: UTF8.self), "items for page=2\n")
        XCTAssertEqual(answer.headers["X-Shop"], "yes")
        XCTAssertNil(answer.headers["Connection"], "hop-by-hop headers stay on the origin's hop")
    }

    /// What the origin sees: the client's end-to-end headers (Accept, so content negotiation
    /// works through the proxy), not its Host, hop-by-hop headers or those Connection names.
    func testEndToEndRequestHeadersReachTheOrigin() throws {
        let seen = Locked<HTTPHeaders?>(nil)
        let origin = try startTestServer { request in
            seen.withLock { $0 = request.headers }
            return HTTPResponse.text("ok\n")
        }
        defer { origin.stop() }
        let front = try startTestServer { HTTPProxy(origin: origin.url, maxConcurrent: 1).forward($0) }
        defer { front.stop() }
        let connection = try LoopbackConnection(port: front.port)
        XCTAssertTrue(connection.send(
            "GET /metrics HTTP/1.1\r\nHost: front.example\r\nAccept: application/openmetrics-text; version=1.0.0\r\n"
                + "X-Trace: abc\r\nConnection: keep-alive, X-Private\r\nX-Private: secret\r\nKeep-Alive: timeout=5\r\n\r\n"))
        XCTAssertEqual(try XCTUnwrap(connection.readResponse()).status, 200)
        let headers = try XCTUnwrap(seen.withLock { $0 })
        XCTAssertEqual(headers["Accept"], "application/openmetrics-text; version=1.0.0")
        XCTAssertEqual(headers["X-Trace"], "abc")
        XCTAssertNotEqual(headers["Host"], "front.example", "the origin is addressed by its own host")
        XCTAssertNil(headers["X-Private"], "a header the Connection field names is hop-by-hop")
        XCTAssertNil(headers["Keep-Alive"])
    }

    func testPipelinedRequestsThroughTheProxyAreAllAnswered() throws {
        let origin = try startTestServer { request in
            var response = HTTPResponse.text("\(request.path)\n")
            response.headers["Connection"] = "close"
            return response
        }
        defer { origin.stop() }
        let proxy = HTTPProxy(origin: origin.url, maxConcurrent: 4)
        let front = try startTestServer { proxy.forward($0) }
        defer { front.stop() }
        let connection = try LoopbackConnection(port: front.port)
        XCTAssertTrue(connection.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n"))
        let first = try XCTUnwrap(connection.readResponse())
        let second = try XCTUnwrap(connection.readResponse(), "the second pipelined request is answered too")
        XCTAssertEqual(String(decoding: first.body, as: UTF8.self), "/one\n")
        XCTAssertEqual(String(decoding: second.body, as: UTF8.self), "/two\n")
    }

    func testAnOriginThatAnswersOddlyOrNotAtAllIsA502() throws {
        for reply in ["HTTP/1.1 700 Beyond\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 099 Under\r\nContent-Length: 0\r\n\r\n", "not http at all\r\n\r\n"] {
            let origin = try HostileServer { peer in _ = peer.send(reply) }
            let proxy = HTTPProxy(origin: "http://127.0.0.1:\(origin.port)", maxConcurrent: 1, timeout: 2)
            let answer = proxy.forward(HTTPRequest(method: "GET", path: "/", query: ""))
            XCTAssertEqual(answer.status, 502, reply)
        }
        let closed = try startTestServer { _ in HTTPResponse.text("") }
        let url = closed.url
        closed.stop()
        XCTAssertEqual(HTTPProxy(origin: url, maxConcurrent: 1, timeout: 1).forward(HTTPRequest(method: "GET", path: "/", query: "")).status, 502)
    }

    /// Sixteen clients on a route that takes two seconds: the proxy forwards at most half the
    /// server's threads' worth and turns the rest away at once, so /metrics is still answered quickly.
    func testASlowOriginCannotStarveTheOtherRoutes() throws {
        let origin = try startTestServer(limits: HTTPServerLimits(handlerThreads: 16)) { request in
            Thread.sleep(forTimeInterval: 2)
            return HTTPResponse.text("slow\n")
        }
        defer { origin.stop() }
        let limits = HTTPServerLimits(handlerThreads: 16)
        let proxy = HTTPProxy(origin: origin.url, maxConcurrent: limits.handlerThreads / 2)
        let front = try startTestServer(limits: limits) { request in
            request.path == "/metrics" ? HTTPResponse.text("up 1\n") : proxy.forward(request)
        }
        defer { front.stop() }
        let statuses = Locked<[Int]>([])
        let url = front.url
        // Sixteen threads of their own, so that all sixteen requests are in flight at once.
        let clients = try (0..<16).map { _ in
            try JoinableThread {
                let status = (try? HTTPClient.get(url: url + "/api/checkout", timeout: 10))?.status ?? 0
                statuses.withLock { $0.append(status) }
            }
        }
        Thread.sleep(forTimeInterval: 0.5)
        let started = Date()
        let metrics = try HTTPClient.get(url: front.url + "/metrics", timeout: 5)
        let elapsed = Date().timeIntervalSince(started)
        clients.forEach { $0.join() }
        XCTAssertEqual(metrics.status, 200)
        XCTAssertLessThan(elapsed, 1, "/metrics answered while the slow route is busy")
        let answered = statuses.withLock { $0 }
        XCTAssertEqual(answered.filter { $0 == 200 }.count, 8, "\(answered)")
        XCTAssertEqual(answered.filter { $0 == 503 }.count, 8, "\(answered)")
    }
}
