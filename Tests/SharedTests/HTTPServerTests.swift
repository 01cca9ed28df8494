import Foundation
import TestSupport
import XCTest

@testable import Platform
@testable import HTTP

/// The HTTP/1.1 server speaks the protocol: framing, keep-alive, pipelining, the error
/// statuses, binding and stopping; and the client reports failures in one line.
final class HTTPServerTests: XCTestCase {
    // MARK: Requests and responses

    func testTheHandlerSeesMethodPathQueryAndHeadersAndTheResponseIsFramed() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let connection = try LoopbackConnection(port: server.port)
        connection.send("GET /echo/a%20b?x=1&y=2 HTTP/1.1\r\nHost: test\r\nX-Probe:   padded value  \r\n\r\n")
        let response = try XCTUnwrap(connection.readResponse())
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "GET /echo/a%20b ?x=1&y=2 probe=padded value version=HTTP/1.1")
        XCTAssertEqual(response.headers["content-length"], String(response.body.count))
        XCTAssertEqual(response.headers["content-type"], "text/plain; charset=utf-8")
        XCTAssertNotNil(response.headers["date"])
        XCTAssertTrue(response.head.hasPrefix("HTTP/1.1 200 OK\r\n"), response.head)
    }

    func testHeaderNamesAreLookedUpInAnyCase() {
        let headers: HTTPHeaders = ["Content-Type": "text/plain", "connection": "keep-alive, Upgrade"]
        XCTAssertEqual(headers["content-type"], "text/plain")
        XCTAssertEqual(headers["CONTENT-TYPE"], "text/plain")
        XCTAssertTrue(headers.contains(token: "upgrade", in: "Connection"))
        XCTAssertFalse(headers.contains(token: "close", in: "Connection"))
    }

    func testAbsoluteFormTargetsNameThePath() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let connection = try LoopbackConnection(port: server.port)
        connection.send("GET http://example.test:3001/echo?q HTTP/1.1\r\nHost: example.test\r\n\r\n")
        XCTAssertEqual(connection.readResponse()?.text, "GET /echo ?q probe=- version=HTTP/1.1")
    }

    func testHeadSendsTheHeadersOfGetWithoutTheBody() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let connection = try LoopbackConnection(port: server.port)
        connection.send("GET /fixed HTTP/1.1\r\nHost: t\r\n\r\n")
        let get = try XCTUnwrap(connection.readResponse())
        connection.send("HEAD /fixed HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try XCTUnwrap(connection.readResponse(bodiless: true))
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.headers["content-length"], String(get.body.count))
        XCTAssertGreaterThan(get.body.count, 0)
        // Had HEAD sent a body, its bytes would come before this response's status line.
        connection.send("GET /fixed HTTP/1.1\r\nHost: t\r\n\r\n")
        let after = try XCTUnwrap(connection.readResponse())
        XCTAssertTrue(after.head.hasPrefix("HTTP/1.1 200 OK"), after.head)
        XCTAssertEqual(after.body, get.body)
    }

    func testTheHandlerDecidesOn404() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let connection = try LoopbackConnection(port: server.port)
        connection.send("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try XCTUnwrap(connection.readResponse())
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(response.text, "no route for /nowhere; try /metrics\n")
    }

    func testUnknownMethodsGet405WithAllowAndTheirBodyIsSkipped() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let connection = try LoopbackConnection(port: server.port)
        connection.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello=worldGET /echo HTTP/1.1\r\nHost: t\r\n\r\n")
        let refused = try XCTUnwrap(connection.readResponse())
        XCTAssertEqual(refused.status, 405)
        XCTAssertEqual(refused.headers["allow"], "GET, HEAD")
        // The body was read past, so the next request on the connection is understood.
        XCTAssertEqual(connection.readResponse()?.text, "GET /echo ? probe=- version=HTTP/1.1")
    }

    /// A server that takes POST hands the handler the body, whole even when it arrives in
    /// pieces, and the next request on the connection is read after it; GET still comes bodiless.
    func testAServerThatTakesPostGivesTheHandlerTheBody() throws {
        let server = try startTestServer(limits: HTTPServerLimits(maxBodyBytes: 64, methods: ["GET", "HEAD", "POST"])) { request in
            .text("\(request.method) \(request.path) body=\(String(decoding: request.body, as: UTF8.self))")
        }
        defer { server.stop() }
        let connection = try LoopbackConnection(port: server.port)
        connection.send("POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: 21\r\n\r\nquery=up&")
        Thread.sleep(forTimeInterval: 0.05)
        connection.send("time=1700000GET /plain HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc")
        XCTAssertEqual(connection.readResponse()?.text, "POST /form body=query=up&time=1700000")
        XCTAssertEqual(connection.readResponse()?.text, "GET /plain body=")
        let tooLong = try LoopbackConnection(port: server.port)
        tooLong.send("POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: 65\r\n\r\n")
        XCTAssertEqual(tooLong.readResponse()?.status, 413)
        let put = try LoopbackConnection(port: server.port)
        put.send("PUT /form HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
        let refused = try XCTUnwrap(put.readResponse())
        XCTAssertEqual(refused.status, 405)
        XCTAssertEqual(refused.headers["allow"], "GET, HEAD, POST")
    }

    func testMalformedRequestsGet400AndTheConnectionCloses() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let malformed = [
            "GARBAGE\r\n\r\n",
            "GET /echo\r\nHost: t\r\n\r\n",
            "GET  /echo HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /echo HTTP/1.1\r\nHost: t\r\nNo colon here\r\n\r\n",
            "GET /echo HTTP/1.1\r\nHost: t\r\nBad Name: x\r\n\r\n",
            "GET /echo HTTP/1.1\r\nHost: t\r\nX-Folded: a\r\n b\r\n\r\n",
            "GET /echo HTTP/1.1\r\nHost: t\r\nX-Bare: a\rb\r\n\r\n",
            "GET /echo HTTP/1.1\r\n\r\n",
            "GET /echo HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
            "GET /echo HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n",
            "GET echo HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /echo HTTQ/1.1\r\nHost: t\r\n\r\n",
        ]
        for request in malformed {
            let connection = try LoopbackConnection(port: server.port)
            connection.send(request)
            let response = connection.readResponse()
            XCTAssertEqual(response?.status, 400, "for \(request.debugDescription)")
            XCTAssertEqual(response?.headers["connection"], "close", "for \(request.debugDescription)")
            XCTAssertTrue(connection.readUntilClosed().closed, "the connection should close after \(request.debugDescription)")
        }
    }

    func testOtherProtocolVersionsAndBodyFramingsAreRefusedWithTheirStatus() throws {
        let server = try startTestServer(limits: HTTPServerLimits(maxBodyBytes: 100))
        defer { server.stop() }
        let cases = [
            ("GET /echo HTTP/2.0\r\nHost: t\r\n\r\n", 505),
            ("GET /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 101\r\n\r\n", 413),
            ("GET /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501),
        ]
        for (request, status) in cases {
            let connection = try LoopbackConnection(port: server.port)
            connection.send(request)
            XCTAssertEqual(connection.readResponse()?.status, status, "for \(request.debugDescription)")
            XCTAssertTrue(connection.readUntilClosed().closed)
        }
    }

    func testAHeaderSectionOver8KiBGets431AndTheConnectionCloses() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let connection = try LoopbackConnection(port: server.port)
        connection.send("GET /echo HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "a", count: 8200))\r\n\r\n")
        let response = connection.readResponse()
        XCTAssertEqual(response?.status, 431)
        XCTAssertTrue(connection.readUntilClosed().closed)

        // Just under the limit is fine: the limit is on the whole head, not on one field.
        let fits = try LoopbackConnection(port: server.port)
        let head = "GET /echo HTTP/1.1\r\nHost: t\r\nX-Big: \r\n\r\n"
        fits.send(head.replacingOccurrences(of: "X-Big: ", with: "X-Big: " + String(repeating: "a", count: 8192 - head.utf8.count)))
        XCTAssertEqual(fits.readResponse()?.status, 200)
    }

    func testARequestLineOver8KiBGets414() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let connection = try LoopbackConnection(port: server.port)
        connection.send("GET /\(String(repeating: "a", count: 9000))")
        XCTAssertEqual(connection.readResponse()?.status, 414)
        XCTAssertTrue(connection.readUntilClosed().closed)
    }

    // MARK: Connections

    func testKeepAliveServesTwoRequestsOnOneConnection() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let connection = try LoopbackConnection(port: server.port)
        connection.send("GET /echo?first HTTP/1.1\r\nHost: t\r\n\r\n")
        let first = try XCTUnwrap(connection.readResponse())
        XCTAssertNil(first.headers["connection"], "HTTP/1.1 stays open without saying so")
        connection.send("GET /echo?second HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(connection.readResponse()?.text, "GET /echo ?second probe=- version=HTTP/1.1")
        XCTAssertFalse(connection.readUntilClosed(timeout: 0.3).closed, "the connection should stay open")
    }

    func testConnectionCloseIsHonoured() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let connection = try LoopbackConnection(port: server.port)
        connection.send("GET /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let response = try XCTUnwrap(connection.readResponse())
        XCTAssertEqual(response.headers["connection"], "close")
        XCTAssertTrue(connection.readUntilClosed(timeout: 2).closed)
    }

    func testTheHandlerCanCloseTheConnection() throws {
        let server = try startTestServer { _ in
            var response = HTTPResponse.text("bye\n")
            response.headers["Connection"] = "close"
            return response
        }
        defer { server.stop() }
        let connection = try LoopbackConnection(port: server.port)
        connection.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(connection.readResponse()?.headers["connection"], "close")
        XCTAssertTrue(connection.readUntilClosed(timeout: 2).closed)
    }

    func testHTTP10ClosesUnlessAskedToKeepAlive() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let plain = try LoopbackConnection(port: server.port)
        plain.send("GET /echo HTTP/1.0\r\n\r\n")
        let response = try XCTUnwrap(plain.readResponse())
        XCTAssertEqual(response.text, "GET /echo ? probe=- version=HTTP/1.0")
        XCTAssertEqual(response.headers["connection"], "close")
        XCTAssertTrue(plain.readUntilClosed(timeout: 2).closed)

        let kept = try LoopbackConnection(port: server.port)
        kept.send("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        XCTAssertEqual(kept.readResponse()?.headers["connection"], "keep-alive")
        kept.send("GET /echo?again HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
        XCTAssertEqual(kept.readResponse()?.text, "GET /echo ?again probe=- version=HTTP/1.0")
    }

    func testPipelinedRequestsAreAnsweredInOrder() throws {
        // The slow request comes first: with several handler threads, answering in finishing
        // order would put the fast ones before it.
        let server = try startTestServer()
        defer { server.stop() }
        let connection = try LoopbackConnection(port: server.port)
        let paths = ["/slow?300", "/echo?2", "/slow?100", "/echo?4", "/echo?5"]
        connection.send(paths.map { "GET \($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined() + "HEAD /fixed HTTP/1.1\r\nHost: t\r\n\r\n")
        var answers: [String] = []
        for _ in paths { answers.append(connection.readResponse()?.text ?? "nothing") }
        XCTAssertEqual(answers, [
            "slept 300 ms", "GET /echo ?2 probe=- version=HTTP/1.1", "slept 100 ms",
            "GET /echo ?4 probe=- version=HTTP/1.1", "GET /echo ?5 probe=- version=HTTP/1.1",
        ])
        XCTAssertEqual(connection.readResponse(bodiless: true)?.status, 200)
    }

    func testASlowHandlerDoesNotHoldUpOtherConnections() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let slow = try LoopbackConnection(port: server.port)
        slow.send("GET /slow?1500 HTTP/1.1\r\nHost: t\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.1)
        let started = Date()
        let response = try HTTPClient.get(url: server.url + "/echo", timeout: 2)
        XCTAssertEqual(response.status, 200)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "the fast request waited for the slow one")
        XCTAssertEqual(slow.readResponse()?.text, "slept 1500 ms")
    }

    // MARK: Binding, starting and stopping

    func testAPortInUseIsOneClearLine() throws {
        let first = try startTestServer()
        defer { first.stop() }
        let second = HTTPServer(port: first.port) { _ in .text("") }
        XCTAssertThrowsError(try second.start()) { error in
            XCTAssertEqual("\(error)", "port \(first.port) on 127.0.0.1 is already in use; stop the other program or pass --port")
        }
        XCTAssertThrowsError(try HTTPServer(host: "no-such-host.invalid", port: 0) { _ in .text("") }.start()) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot resolve host no-such-host.invalid ("), "\(error)")
            XCTAssertFalse("\(error)".contains("\n"))
        }
    }

    func testItBindsLoopbackOnlyByDefault() throws {
        let server = try startTestServer()
        defer { server.stop() }
        XCTAssertEqual(server.boundAddress, "127.0.0.1")
        XCTAssertEqual(server.url, "http://127.0.0.1:\(server.port)")
        XCTAssertNotEqual(server.port, 0)
        // 127.0.0.2 is this machine too, but a socket bound to 127.0.0.1 does not answer it.
        XCTAssertThrowsError(try LoopbackConnection(port: server.port, host: "127.0.0.2"))
        XCTAssertNoThrow(try LoopbackConnection(port: server.port, host: "127.0.0.1"))
    }

    func testAnotherHostIsBoundWhenAsked() throws {
        let server = try startTestServer(host: "0.0.0.0")
        defer { server.stop() }
        XCTAssertEqual(server.boundAddress, "0.0.0.0")
        let connection = try LoopbackConnection(port: server.port, host: "127.0.0.2")
        connection.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(connection.readResponse()?.status, 200)
    }

    func testStopClosesConnectionsAndFreesThePort() throws {
        let server = try startTestServer()
        let port = server.port
        let idle = try LoopbackConnection(port: port)
        server.stop()
        XCTAssertTrue(idle.readUntilClosed(timeout: 2).closed)
        XCTAssertThrowsError(try LoopbackConnection(port: port))
        XCTAssertThrowsError(try server.start()) { XCTAssertEqual("\($0)", "this HTTP server was already started; create a new HTTPServer to serve again") }
        server.stop()
        let again = HTTPServer(port: port) { _ in .text("again") }
        try again.start()
        defer { again.stop() }
        XCTAssertEqual(try HTTPClient.get(url: again.url + "/", timeout: 2).text, "again")
    }

    func testRunUntilTerminatedReturnsOnSIGTERMAndStops() throws {
        let server = try startTestServer()
        let port = server.port
        let returned = expectation(description: "runUntilTerminated returned")
        let received = Locked<Int32>(0)
        Thread.detachNewThread {
            received.withLock { $0 = server.runUntilTerminated() }
            returned.fulfill()
        }
        // Wait until the handler is installed: a SIGTERM before that would end the test process.
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, !terminationHandlerInstalled() { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertTrue(terminationHandlerInstalled())
        kill(getpid(), SIGTERM)
        wait(for: [returned], timeout: 5)
        XCTAssertEqual(received.withLock { $0 }, SIGTERM)
        XCTAssertThrowsError(try LoopbackConnection(port: port), "the server should have stopped")
        XCTAssertFalse(terminationHandlerInstalled(), "the default handling should be back")
    }

    // MARK: Client

    func testTheClientReadsABodyByContentLength() throws {
        let server = try startTestServer()
        defer { server.stop() }
        let response = try HTTPClient.get(url: server.url + "/echo?z=1", headers: ["X-Probe": "sent"], timeout: 2)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "GET /echo ?z=1 probe=sent version=HTTP/1.1")
        XCTAssertEqual(response.headers["Content-Type"], "text/plain; charset=utf-8")
    }

    func testTheClientSkipsInterimResponses() throws {
        let listener = try RawListener()
        let answered = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            listener.answerOnce(with: "HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal")
            answered.signal()
        }
        let response = try HTTPClient.get(url: "http://127.0.0.1:\(listener.port)/", timeout: 2)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "final")
        XCTAssertEqual(answered.wait(timeout: .now() + 5), .success)
    }

    func testClientFailuresAreOneClearLine() throws {
        let unused = try freeLoopbackPort()
        XCTAssertThrowsError(try HTTPClient.get(url: "http://127.0.0.1:\(unused)/metrics", timeout: 2)) {
            XCTAssertEqual("\($0)", "connection refused by 127.0.0.1:\(unused): nothing is listening there; is the server running?")
        }
        XCTAssertThrowsError(try HTTPClient.get(url: "https://127.0.0.1/metrics", timeout: 2)) {
            XCTAssertEqual("\($0)", #"invalid URL "https://127.0.0.1/metrics": only http:// is supported; expected http://host:port/path"#)
        }
        XCTAssertThrowsError(try HTTPClient.get(url: "http://127.0.0.1:\(unused)/", headers: ["X-Smuggle": "a\r\nHost: evil"], timeout: 2)) {
            XCTAssertEqual("\($0)", #"request header "X-Smuggle" is not valid: use a name of letters, digits and -, and a value without line breaks"#)
        }
        XCTAssertThrowsError(try HTTPClient.get(url: "http://127.0.0.1:99999/", timeout: 2)) {
            XCTAssertEqual("\($0)", #"invalid URL "http://127.0.0.1:99999/": the port must be 1 through 65535; expected http://host:port/path"#)
        }
    }

    func testTheClientGivesUpAtItsDeadline() throws {
        // A listening socket nobody accepts from: the connection completes, no answer ever comes.
        let silent = try RawListener()
        let started = Date()
        XCTAssertThrowsError(try HTTPClient.get(url: "http://127.0.0.1:\(silent.port)/metrics", timeout: 0.5)) {
            XCTAssertEqual("\($0)", "no complete response from http://127.0.0.1:\(silent.port)/metrics within 0.5 seconds")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
    }

    func testTheClientRejectsAMalformedResponse() throws {
        let listener = try RawListener()
        let url = "http://127.0.0.1:\(listener.port)/"
        let cases = [
            ("SSH-2.0-OpenSSH_9.2\r\n\r\n", "malformed response from \(url): the status line is not HTTP/1.x NNN"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "malformed response from \(url): the connection closed after 5 of 10 body bytes"),
            ("", "malformed response from \(url): the connection closed without a response"),
            ("\n\n", "malformed response from \(url): the status line is not HTTP/1.x NNN"),
            ("HTTP/1.1 200 OK\r\nNo colon\r\n\r\n", "malformed response from \(url): a header line is not Name: value"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
             "malformed response from \(url): Transfer-Encoding bodies are not supported; this client reads Content-Length"),
        ]
        for (reply, message) in cases {
            let answered = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                listener.answerOnce(with: reply)
                answered.signal()
            }
            XCTAssertThrowsError(try HTTPClient.get(url: url, timeout: 2)) { XCTAssertEqual("\($0)", message) }
            XCTAssertEqual(answered.wait(timeout: .now() + 5), .success)
        }
    }
}

// MARK: - Helpers shared by the server tests

/// The handler the protocol tests use: `/echo…` describes the request, `/fixed` is a fixed
/// body, `/slow?MS` sleeps that long first; anything else is 404.
let testRoutes: @Sendable (HTTPRequest) -> HTTPResponse = { request in
    switch request.path {
    case let path where path.hasPrefix("/echo"):
        return .text("\(request.method) \(request.path) ?\(request.query) probe=\(request.headers["x-probe"] ?? "-") version=\(request.version)")
    case "/fixed":
        return .text(String(repeating: "fixed body\n", count: 20))
    case "/slow":
        let milliseconds = min(Int(request.query) ?? 100, 3000)
        Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
        return .text("slept \(milliseconds) ms")
    default:
        return .notFound(request)
    }
}

/// A started server on a free loopback port.
func startTestServer(
    host: String = "127.0.0.1", limits: HTTPServerLimits = HTTPServerLimits(),
    handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse = testRoutes
) throws -> HTTPServer {
    let server = HTTPServer(host: host, port: 0, limits: limits, handler: handler)
    try server.start()
    return server
}

/// Whether SIGTERM currently has a handler installed (rather than the default action).
private func terminationHandlerInstalled() -> Bool {
    signalHasHandler(SIGTERM)
}

/// A raw TCP connection to a server under test: it sends exactly the bytes a test gives
/// and reads exactly what comes back, with no HTTP knowledge of its own beyond finding
/// where one response ends.
final class LoopbackConnection {
    let descriptor: Int32
    private var pending: [UInt8] = []

    struct Refused: Error {
        let reason: String
    }

    /// Connects to `host:port` (IPv4); throws when nothing accepts there.
    init(port: UInt16, host: String = "127.0.0.1") throws {
        descriptor = socket(AF_INET, Sockets.streamType, 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let status = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Refused(reason: reason)
        }
    }

    deinit {
        close(descriptor)
    }

    /// Sends `text`; false when the server has closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool {
        send(Array(text.utf8))
    }

    /// Sends `bytes`; false when the server has closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Sockets.send(descriptor, $0.baseAddress! + sent, $0.count - sent) }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }

    /// Makes the close (when the connection is released) a reset instead of an orderly end,
    /// as when a client crashes.
    func resetOnClose() {
        var linger = linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
    }

    /// The next response, or nil when the connection ends or `timeout` passes first.
    ///
    /// - Parameter bodiless: the response answers HEAD: its Content-Length announces a body that is not sent.
    func readResponse(bodiless: Bool = false, timeout: Double = 5) -> RawResponse? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let end = headEnd() {
                let head = String(decoding: pending[..<end], as: UTF8.self)
                var headers: [String: String] = [:]
                for line in head.components(separatedBy: "\r\n").dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                let length = bodiless ? 0 : Int(headers["content-length"] ?? "0") ?? 0
                if pending.count >= end + length {
                    let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
                    let body = Array(pending[end..<(end + length)])
                    pending.removeFirst(end + length)
                    return RawResponse(status: status, head: head, headers: headers, body: body)
                }
            }
            guard receive(until: deadline) == .data else { return nil }
        }
    }

    /// Reads until the server ends the connection or `timeout` passes; `closed` says which.
    func readUntilClosed(timeout: Double = 5) -> (bytes: [UInt8], closed: Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            switch receive(until: deadline) {
            case .data: continue
            case .closed: return (pending, true)
            case .timedOut: return (pending, false)
            }
        }
    }

    private enum Received {
        case data, closed, timedOut
    }

    private func receive(until deadline: Date) -> Received {
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0 else { return .timedOut }
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, Int32((remaining * 1000).rounded(.up))) > 0 else { return .timedOut }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        // A reset counts as closed: either way the server has let go of the connection.
        guard count > 0 else { return .closed }
        pending.append(contentsOf: chunk[0..<count])
        return .data
    }

    private func headEnd() -> Int? {
        let marker: [UInt8] = [13, 10, 13, 10]
        guard pending.count >= 4 else { return nil }
        for index in 0...(pending.count - 4) where Array(pending[index..<(index + 4)]) == marker { return index + 4 }
        return nil
    }
}

/// One response as `LoopbackConnection` read it.
struct RawResponse {
    let status: Int
    /// The status line and header lines, up to and including the blank line.
    let head: String
    /// Header fields by lower-cased name.
    let headers: [String: String]
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A listening loopback socket the test drives by hand, to play a broken server.
final class RawListener: @unchecked Sendable {
    // Only `answerOnce` touches the socket after init, from one thread at a time.
    let descriptor: Int32
    let port: UInt16

    init() throws {
        let listener = socket(AF_INET, Sockets.streamType, 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(listener)
            throw LoopbackConnection.Refused(reason: reason)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        descriptor = listener
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit {
        close(descriptor)
    }

    /// Accepts one connection, reads its request, writes `reply` and closes.
    func answerOnce(with reply: String) {
        let connection = accept(descriptor, nil, nil)
        guard connection >= 0 else { return }
        var request = [UInt8](repeating: 0, count: 4096)
        _ = recv(connection, &request, request.count, 0)
        _ = Sockets.send(connection, reply, reply.utf8.count)
        close(connection)
    }
}
