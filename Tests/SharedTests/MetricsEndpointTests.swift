import Foundation
import XCTest

@testable import Platform
@testable import Instrumentation
@testable import HTTP

/// `/metrics` answers in the format the scraper asks for, byte for byte what the encoder writes.
final class MetricsEndpointTests: XCTestCase {
    /// What Prometheus 2.x sends with every scrape.
    static let prometheusAccept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    /// A registry whose exposition does not change between two reads.
    private func fixedRegistry() throws -> Registry {
        let registry = Registry(clock: ManualClock(1_700_000_000))
        let requests = try registry.makeCounterFamily(name: "http_requests", help: "Requests served.", labelNames: ["path", "code"])
        try requests.labels("/checkout", "200").inc(by: 1027)
        try requests.labels("/checkout", "500").inc(by: 3)
        try registry.makeGauge(name: "queue_length", help: "Jobs waiting.").set(7)
        let latency = try registry.makeHistogram(name: "request_duration_seconds", help: "Latency.", buckets: [0.1, 0.5, 1], unit: "seconds")
        for value in [0.05, 0.2, 0.2, 0.7, 3] { latency.observe(value) }
        return registry
    }

    // MARK: Negotiation

    func testPrometheusAcceptHeaderGetsOpenMetrics() throws {
        let endpoint = MetricsEndpoint(registry: Registry())
        XCTAssertEqual(endpoint.format(forAccept: Self.prometheusAccept), .openmetrics)
    }

    func testNegotiationFollowsQualityAndSpecificity() {
        let endpoint = MetricsEndpoint(registry: Registry())
        let cases: [(String?, ExpositionFormat)] = [
            (nil, .prometheus),
            ("", .prometheus),
            ("*/*", .prometheus),
            ("text/plain", .prometheus),
            ("text/plain;version=0.0.4", .prometheus),
            ("application/openmetrics-text", .openmetrics),
            ("Application/OpenMetrics-Text; Version=\"1.0.0\"", .openmetrics),
            ("application/openmetrics-text;version=0.0.1", .openmetrics),
            ("application/*", .openmetrics),
            // Weights decide, whatever the order.
            ("application/openmetrics-text;q=0.3,text/plain;q=0.5", .prometheus),
            ("text/plain;q=0.2, application/openmetrics-text;q=0.9", .openmetrics),
            // The most specific range speaks for a format: text/plain;q=0 refuses it despite */*.
            ("text/plain;q=0, */*", .openmetrics),
            ("application/openmetrics-text;q=0, */*;q=0.5", .prometheus),
            // Equal weights: the one listed first.
            ("application/openmetrics-text, text/plain", .openmetrics),
            ("text/plain, application/openmetrics-text", .prometheus),
            // A version this server does not write does not match; the text format is the fallback.
            ("application/openmetrics-text;version=2.0.0", .prometheus),
            ("application/json", .prometheus),
            ("application/openmetrics-text;q=banana", .prometheus),
            ("not a media type, application/openmetrics-text", .openmetrics),
            // Nonsense is survived, not trusted.
            (";", .prometheus),
            (";;q=1, ,,", .prometheus),
            ("/, */, /plain", .prometheus),
            ("application/openmetrics-text;, text/plain;q", .openmetrics),
            ("application/openmetrics-text;q=1.5", .prometheus),
        ]
        for (accept, expected) in cases {
            XCTAssertEqual(endpoint.format(forAccept: accept), expected, "Accept: \(accept ?? "(none)")")
        }
    }

    func testAnEndpointOfferingOnlyTheTextFormatIgnoresThePreference() {
        let endpoint = MetricsEndpoint(registry: Registry(), formats: [.prometheus])
        XCTAssertEqual(endpoint.format(forAccept: Self.prometheusAccept), .prometheus)
        XCTAssertEqual(endpoint.format(forAccept: "application/openmetrics-text"), .prometheus)
    }

    // MARK: Over HTTP

    func testGetMetricsInOpenMetricsWhenAsked() throws {
        let registry = try fixedRegistry()
        let server = try startTestServer(handler: MetricsEndpoint(registry: registry).makeHandler())
        defer { server.stop() }
        let response = try HTTPClient.get(url: server.url + "/metrics", headers: ["Accept": Self.prometheusAccept], timeout: 2)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["Content-Type"], "application/openmetrics-text; version=1.0.0; charset=utf-8")
        XCTAssertEqual(response.body, ExpositionFormat.openmetrics.encode(registry.collect()))
        XCTAssertTrue(response.text.hasSuffix("# EOF\n"))
        XCTAssertEqual(response.headers["Vary"], "Accept")
    }

    func testGetMetricsInTheTextFormatByDefault() throws {
        let registry = try fixedRegistry()
        let server = try startTestServer(handler: MetricsEndpoint(registry: registry).makeHandler())
        defer { server.stop() }
        let response = try HTTPClient.get(url: server.url + "/metrics", timeout: 2)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["Content-Type"], "text/plain; version=0.0.4; charset=utf-8")
        XCTAssertEqual(response.body, ExpositionFormat.prometheus.encode(registry.collect()))
        XCTAssertTrue(response.text.contains("http_requests_total{path=\"/checkout\",code=\"200\"} 1027\n"), response.text)
    }

    func testEachScrapeReadsTheRegistryAfresh() throws {
        let registry = Registry()
        let counter = try registry.makeCounter(name: "jobs", help: "Jobs.")
        let server = try startTestServer(handler: MetricsEndpoint(registry: registry).makeHandler())
        defer { server.stop() }
        counter.inc(by: 2)
        XCTAssertTrue(try HTTPClient.get(url: server.url + "/metrics", timeout: 2).text.contains("jobs_total 2\n"))
        counter.inc(by: 3)
        XCTAssertTrue(try HTTPClient.get(url: server.url + "/metrics?ignored=query", timeout: 2).text.contains("jobs_total 5\n"))
    }

    func testHeadMetricsAnnouncesTheLengthOfTheBodyItLeavesOut() throws {
        let registry = try fixedRegistry()
        let server = try startTestServer(handler: MetricsEndpoint(registry: registry).makeHandler())
        defer { server.stop() }
        let connection = try LoopbackConnection(port: server.port)
        connection.send("HEAD /metrics HTTP/1.1\r\nHost: t\r\nAccept: application/openmetrics-text\r\nConnection: close\r\n\r\n")
        let everything = connection.readUntilClosed(timeout: 2)
        XCTAssertTrue(everything.closed)
        let text = String(decoding: everything.bytes, as: UTF8.self)
        let expectedLength = ExpositionFormat.openmetrics.encode(registry.collect()).count
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 200 OK\r\n"), text)
        XCTAssertTrue(text.contains("\r\nContent-Type: application/openmetrics-text; version=1.0.0; charset=utf-8\r\n"), text)
        XCTAssertTrue(text.contains("\r\nContent-Length: \(expectedLength)\r\n"), text)
        XCTAssertTrue(text.hasSuffix("\r\n\r\n"), "nothing may follow the head of a HEAD response: \(text)")
    }

    func testOtherPathsAre404() throws {
        let server = try startTestServer(handler: MetricsEndpoint(registry: Registry()).makeHandler())
        defer { server.stop() }
        for path in ["/", "/metrics/", "/Metrics", "/favicon.ico"] {
            let response = try HTTPClient.get(url: server.url + path, timeout: 2)
            XCTAssertEqual(response.status, 404, path)
            XCTAssertEqual(response.text, "no route for \(path); try /metrics\n")
        }
    }

    func testTheEndpointComposesWithOtherRoutes() throws {
        let registry = try fixedRegistry()
        let metrics = MetricsEndpoint(registry: registry)
        XCTAssertNil(metrics.handle(HTTPRequest(path: "/checkout")))
        XCTAssertEqual(metrics.handle(HTTPRequest(path: "/metrics"))?.body, ExpositionFormat.prometheus.encode(registry.collect()))
        let server = try startTestServer { request in
            metrics.handle(request) ?? (request.path == "/checkout" ? .text("paid\n") : .notFound(request))
        }
        defer { server.stop() }
        XCTAssertEqual(try HTTPClient.get(url: server.url + "/checkout", timeout: 2).text, "paid\n")
        XCTAssertEqual(try HTTPClient.get(url: server.url + "/metrics", timeout: 2).status, 200)
        XCTAssertEqual(try HTTPClient.get(url: server.url + "/other", timeout: 2).status, 404)

        let custom = MetricsEndpoint(registry: registry, path: "/stats").makeHandler { _ in .text("fallback\n") }
        XCTAssertEqual(custom(HTTPRequest(path: "/elsewhere")).text, "fallback\n")
        XCTAssertEqual(custom(HTTPRequest(path: "/stats")).status, 200)
    }
}

extension HTTPResponse {
    /// The body as text, for assertions.
    fileprivate var text: String { String(decoding: body, as: UTF8.self) }
}
