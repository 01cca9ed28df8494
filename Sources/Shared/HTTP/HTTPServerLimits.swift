/// The bounds that keep an `HTTPServer` answering when clients are slow, idle or hostile.
///
/// Every limit is there because of a way a server gets stuck: a client that opens a
/// connection and says nothing, one that sends a header a byte every few seconds
/// ("slowloris"), thousands of connections at once, a header of a megabyte. The defaults
/// suit a metrics endpoint on a laptop; tests shrink the timeouts to a second.
public struct HTTPServerLimits: Sendable, Equatable {
    /// Seconds a connection may sit between requests (or before its first) before it is closed.
    public var idleTimeout: Double
    /// Seconds a request may take to arrive, from its first byte to the end of its body.
    /// A client still sending after that gets 408 and the connection is closed.
    public var requestTimeout: Double
    /// The most connections open at once; a connection beyond it is answered 503 and closed
    /// at once, so it costs nothing, and served again once others have gone.
    public var maxConnections: Int
    /// The most bytes a request's head (request line and header fields) may take; more gets 431.
    public var maxHeaderBytes: Int
    /// The longest request body accepted; a longer one gets 413. A request whose method is in
    /// `methods` carries its body to the handler; any other's body is read and dropped.
    public var maxBodyBytes: Int
    /// The threads that run the handler, so a slow route cannot stall the connections.
    public var handlerThreads: Int
    /// The methods handed to the handler; any other is answered 405 with an `Allow` header.
    /// `GET` and `HEAD` by default; a server that takes forms adds `POST` (and then keeps
    /// up to `maxBodyBytes` per connection while a body arrives, so give it a modest one).
    public var methods: [String]

    /// Limits; timeouts, caps and the thread count must be positive, the body limit may be 0 (no bodies).
    public init(
        idleTimeout: Double = 30, requestTimeout: Double = 10, maxConnections: Int = 512,
        maxHeaderBytes: Int = 8192, maxBodyBytes: Int = 1 << 20, handlerThreads: Int = 4, methods: [String] = ["GET", "HEAD"]
    ) {
        precondition(idleTimeout > 0 && requestTimeout > 0, "HTTPServerLimits: timeouts must be positive seconds")
        precondition(maxConnections > 0 && maxHeaderBytes > 0 && maxBodyBytes >= 0 && handlerThreads > 0,
                     "HTTPServerLimits: connection, header and thread limits must be positive, the body limit not negative")
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.maxConnections = maxConnections
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
        self.handlerThreads = handlerThreads
        self.methods = methods
    }
}
