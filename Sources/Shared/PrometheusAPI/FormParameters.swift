/// The parameters of a request, decoded from a URL query or an HTML form body
/// (`application/x-www-form-urlencoded`): `query=rate(x%5B5m%5D)&match[]=up&match[]=down`.
///
/// Pairs are separated by `&`, a name from its value by the first `=`; `+` stands for a
/// space and `%XX` for the byte XX. A name may repeat (`match[]`), so every value is kept,
/// in order. Decoding is as strict as Go's `net/url`, which Prometheus reads parameters
/// with: a `%` not followed by two hexadecimal digits, or a `;` (which some servers take
/// as a separator and others do not), is an error; so is a value that is not UTF-8.
/// See https://url.spec.whatwg.org/#application/x-www-form-urlencoded
public struct FormParameters: Sendable, Equatable {
    /// One `name=value` pair.
    public struct Parameter: Sendable, Equatable {
        public let name: String
        public let value: String

        /// A decoded pair.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Why the bytes are not a valid form, in Go's words where Go has them.
    public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong: `invalid URL escape "%zz"`.
        public let description: String
    }

    /// Every pair, in the order sent.
    public private(set) var parameters: [Parameter]

    /// Parameters already decoded.
    public init(_ parameters: [Parameter] = []) {
        self.parameters = parameters
    }

    /// Decodes `encoded`, refusing more than `maximumParameters` pairs.
    public init(decoding encoded: some Collection<UInt8>, maximumParameters: Int = .max) throws(DecodingError) {
        parameters = []
        for pair in Array(encoded).split(separator: UInt8(ascii: "&")) {
            guard !pair.contains(UInt8(ascii: ";")) else { throw DecodingError(description: "invalid semicolon separator in query") }
            guard parameters.count < maximumParameters else {
                throw DecodingError(description: "more than \(maximumParameters) parameters")
            }
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            let name = try Self.percentDecoded(pair[..<(equals ?? pair.endIndex)], plusAsSpace: true)
            let value = try equals.map { index throws(DecodingError) in try Self.percentDecoded(pair[(index + 1)...], plusAsSpace: true) } ?? ""
            parameters.append(Parameter(name: name, value: value))
        }
    }

    /// The first value of `name`, or nil when there is none: what Go's `FormValue` reads,
    /// except that Go answers "" for both a missing and an empty parameter.
    public subscript(name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    public func values(for name: String) -> [String] {
        parameters.filter { $0.name == name }.map(\.value)
    }

    /// The pairs of `first`, then those of `second`: a form body, then the URL query, is
    /// the order Go reads a POST in, so a parameter in the body wins.
    public static func + (first: FormParameters, second: FormParameters) -> FormParameters {
        FormParameters(first.parameters + second.parameters)
    }

    /// `%XX` as the byte XX (and, in a form, `+` as a space), the result read as UTF-8.
    /// Paths are decoded the same way, but there `+` is a plus.
    static func percentDecoded(_ bytes: ArraySlice<UInt8>, plusAsSpace: Bool) throws(DecodingError) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.endIndex, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else {
                    let escape = String(decoding: bytes[index..<min(index + 3, bytes.endIndex)], as: UTF8.self)
                    throw DecodingError(description: "invalid URL escape \(quoted(escape))")
                }
                decoded.append(high << 4 | low)
                index += 3
            case UInt8(ascii: "+") where plusAsSpace:
                decoded.append(UInt8(ascii: " "))
                index += 1
            case let byte:
                decoded.append(byte)
                index += 1
            }
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw DecodingError(description: "a parameter is not valid UTF-8 once decoded")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
