/// A query that cannot be parsed or evaluated, with where and why.
public struct PromQLError: Error, Equatable, CustomStringConvertible {
    /// The character offset (0-based) in the query where the problem is, for parse errors.
    public let position: Int?
    public let message: String

    public init(position: Int? = nil, message: String) {
        self.position = position
        self.message = message
    }

    public var description: String {
        if let position { return "parse error at character \(position + 1): \(message)" }
        return message
    }
}
