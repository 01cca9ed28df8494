/// The header fields of a request or a response, in the order they were sent.
///
/// Field names compare case-insensitively, as HTTP says they do: `headers["accept"]` finds
/// an `Accept` field. A name may appear more than once (`values(for:)` returns them all).
/// Names must be HTTP tokens and values must not contain CR, LF or NUL: a value with a line
/// break in it would let one header smuggle another into the message, so adding one stops
/// the program with a message, as an out-of-range index does.
/// See https://www.rfc-editor.org/rfc/rfc9110#section-5
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field: a name and its value, with surrounding whitespace removed.
    public struct Field: Sendable, Equatable {
        /// The name as sent; compare it with `HTTPHeaders`' lookups, which ignore case.
        public let name: String
        /// The value, without surrounding spaces and tabs.
        public let value: String
    }

    /// Every field, in order.
    public private(set) var fields: [Field] = []

    /// No fields.
    public init() {}

    /// The fields of a dictionary literal, in the order written: `["Accept": "text/plain"]`.
    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { add(name: name, value: value) }
    }

    /// The value of the first field called `name` (any case); setting replaces every such field.
    public subscript(name: String) -> String? {
        get { fields.first { HTTPHeaders.sameName($0.name, name) }?.value }
        set {
            remove(name)
            if let newValue { add(name: name, value: newValue) }
        }
    }

    /// The values of every field called `name`, in order.
    public func values(for name: String) -> [String] {
        fields.filter { HTTPHeaders.sameName($0.name, name) }.map(\.value)
    }

    /// Appends a field, keeping any others of the same name.
    public mutating func add(name: String, value: String) {
        guard HTTPHeaders.isToken(name.utf8) else {
            preconditionFailure("header name \"\(name)\" is not an HTTP token: use letters, digits and !#$%&'*+-.^_`|~")
        }
        guard HTTPHeaders.isFieldValue(value.utf8) else {
            preconditionFailure("header \(name): the value must not contain CR, LF or NUL, which would end the field early")
        }
        fields.append(Field(name: name, value: value))
    }

    /// Removes every field called `name`.
    public mutating func remove(_ name: String) {
        fields.removeAll { HTTPHeaders.sameName($0.name, name) }
    }

    /// Whether any field called `name` lists `token` among its comma-separated values, ignoring case.
    ///
    /// This is how list-valued fields are read: `Connection: keep-alive, Upgrade` contains
    /// the token `upgrade`.
    public func contains(token: String, in name: String) -> Bool {
        values(for: name).contains { value in
            value.split(separator: ",").contains { HTTPHeaders.sameName(String($0).trimmingSpaces, token) }
        }
    }

    /// Iterates over the fields in order.
    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    // MARK: Grammar

    /// Whether two field names are equal ignoring ASCII case, without allocating.
    static func sameName(_ left: String, _ right: String) -> Bool {
        left.utf8.count == right.utf8.count && zip(left.utf8, right.utf8).allSatisfy { lowercased($0) == lowercased($1) }
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    /// Whether `bytes` is an HTTP token: the characters allowed in methods and field names.
    static func isToken<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(isTokenByte)
    }

    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// Whether `bytes` may be a field value: visible characters, spaces and tabs, and
    /// bytes above 127 (which older senders use for Latin-1); no other control characters.
    static func isFieldValue<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        bytes.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
