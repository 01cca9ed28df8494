import PromQL

/// What the API answers instead of data: one of Prometheus's error types, the HTTP status
/// that goes with it, and a message for a person.
///
/// The body is Prometheus's: `{"status":"error","errorType":"bad_data","error":"…"}`.
/// Clients such as Grafana decide what to do from `errorType` and show `error`.
/// See https://prometheus.io/docs/prometheus/latest/querying/api/#format-overview
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Prometheus's error types, each answered with its own HTTP status.
    public enum Kind: String, Sendable, CaseIterable {
        /// The request is wrong: a parameter missing, malformed or out of range, a query that
        /// does not parse. 400 Bad Request.
        case badData = "bad_data"
        /// The query is valid but could not be answered: its evaluation failed, or its answer
        /// is over a limit. 422 Unprocessable Content.
        case execution
        /// The query ran out of time. 503 Service Unavailable, as Prometheus answers it.
        case timeout
        /// Something that should never happen did. 500 Internal Server Error.
        case `internal`

        /// The HTTP status Prometheus answers this type of error with.
        public var status: Int {
            switch self {
            case .badData: 400
            case .execution: 422
            case .timeout: 503
            case .internal: 500
            }
        }
    }

    /// The error type, which decides the status.
    public let kind: Kind
    /// What went wrong, in one line.
    public let message: String

    /// An error of type `kind` saying `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The error Prometheus gives for a parameter it cannot use: `invalid parameter "step": …`.
    static func invalidParameter(_ name: String, _ reason: String) -> APIError {
        APIError(.badData, "invalid parameter \(jsonString(name)): \(reason)")
    }

    /// `bad_data: invalid parameter "query": …`, as Prometheus logs it.
    public var description: String {
        "\(kind.rawValue): \(message)"
    }

    /// The JSON body of the answer.
    public var json: String {
        #"{"status":"error","errorType":"\#(kind.rawValue)","error":\#(jsonString(message))}"#
    }
}

/// `text` quoted for an error message, cut to its first 100 characters so that a huge
/// parameter does not come back as a huge error.
func quoted(_ text: String) -> String {
    let limit = 100
    guard text.unicodeScalars.count > limit else { return jsonString(text) }
    return jsonString(String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit))) + "…")
}
