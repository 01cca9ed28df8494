import Instrumentation
import HTTP

/// Where a scrape gets its exposition from.
///
/// Over HTTP for a real target (`HTTPScrapeSource`), or straight from a registry in the
/// same process (`RegistryScrapeSource`), which lets a lesson show scraping with a manual
/// clock and no network.
public protocol ScrapeSource: Sendable {
    /// The `instance` label its samples get: `host:port` for HTTP targets.
    var instance: String { get }
    /// The exposition and its `Content-Type`; throws when the target cannot be read.
    func fetch(timeout: Double) throws -> (body: [UInt8], contentType: String)
    /// The exposition and its `Content-Type`, reading no more than `bodySizeLimit` bytes of
    /// it (0: no limit); throws a `ScrapeError` saying "body size limit exceeded" beyond that.
    ///
    /// A source that can stop reading early, as `HTTPScrapeSource` does, implements this;
    /// the default reads the whole body with `fetch(timeout:)` and then compares its size.
    func fetch(timeout: Double, bodySizeLimit: Int) throws -> (body: [UInt8], contentType: String)
}

extension ScrapeSource {
    /// The whole exposition from `fetch(timeout:)`, refused when it is over `bodySizeLimit` bytes.
    public func fetch(timeout: Double, bodySizeLimit: Int) throws -> (body: [UInt8], contentType: String) {
        let fetched = try fetch(timeout: timeout)
        if bodySizeLimit > 0, fetched.body.count > bodySizeLimit { throw ScrapeError.bodySizeLimitExceeded(bodySizeLimit) }
        return fetched
    }
}

/// A target's `/metrics` over HTTP, asking for OpenMetrics first as Prometheus does.
public struct HTTPScrapeSource: ScrapeSource {
    /// The Accept header Prometheus 2.x sends: OpenMetrics preferred, 0.0.4 accepted.
    public static let acceptHeader =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    public let url: String
    public let instance: String

    /// A source for `url` (`http://host:port/metrics`); the instance is the URL's `host:port`.
    public init(url: String) {
        self.url = url
        let afterScheme = url.hasPrefix("http://") ? url.dropFirst(7) : Substring(url)
        instance = String(afterScheme.prefix { $0 != "/" })
    }

    public func fetch(timeout: Double) throws -> (body: [UInt8], contentType: String) {
        try fetch(timeout: timeout, bodySizeLimit: HTTPClient.defaultMaxBodyBytes)
    }

    /// Stops reading as soon as the body is known to be too large: at once when its
    /// `Content-Length` says so, otherwise at the first byte over the limit.
    public func fetch(timeout: Double, bodySizeLimit: Int) throws -> (body: [UInt8], contentType: String) {
        let response: HTTPClientResponse
        do {
            response = try HTTPClient.get(
                url: url, headers: ["Accept": Self.acceptHeader], timeout: timeout, maxBodyBytes: bodySizeLimit > 0 ? bodySizeLimit : .max)
        } catch HTTPClientError.bodyTooLarge(_, let limit) {
            throw ScrapeError.bodySizeLimitExceeded(limit)
        }
        guard response.status == 200 else { throw ScrapeError("server returned HTTP status \(response.statusText)") }
        return (response.body, response.headers["Content-Type"] ?? "")
    }
}

/// A registry in the same process, encoded as a scrape would receive it.
public struct RegistryScrapeSource: ScrapeSource {
    public let registry: Registry
    public let instance: String
    public let format: ExpositionFormat

    public init(registry: Registry, instance: String, format: ExpositionFormat = .openmetrics) {
        self.registry = registry
        self.instance = instance
        self.format = format
    }

    public func fetch(timeout: Double) throws -> (body: [UInt8], contentType: String) {
        (format.encode(registry.collect()), format.contentType)
    }
}

/// Why a scrape failed, in one line.
public struct ScrapeError: Error, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    /// The body was larger than `limit` bytes; Prometheus says "body size limit exceeded".
    static func bodySizeLimitExceeded(_ limit: Int) -> ScrapeError {
        ScrapeError("body size limit exceeded (more than \(limit) bytes)")
    }
}
