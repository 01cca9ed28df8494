/// A trace id as W3C Trace Context writes them: 16 random bytes in 32 lowercase hex digits,
/// such as `4bf92f3577b34da6a3ce929d0e0e4736`.
///
/// A traced service takes the id from the request's `traceparent` header, or starts a trace
/// and makes one; the shop has no tracer, so each request makes one, to carry as the
/// exemplar of its latency observation.
/// See https://www.w3.org/TR/trace-context/#trace-id
enum TraceID {
    /// A new random trace id.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex(generator.next()) + hex(generator.next())
    }

    /// The 16 hex digits of `word`, leading zeros kept.
    private static func hex(_ word: UInt64) -> String {
        let digits = String(word, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
