/// The escaping rules of the text formats.
///
/// In a label value a backslash, a double quote and a line feed would end or break the
/// quoted string, so they are written `\\`, `\"` and `\n`. HELP text has no quotes
/// around it: the 0.0.4 format escapes only backslash and line feed there, OpenMetrics
/// the double quote too. Everything else, non-ASCII included, is written as UTF-8.
enum LabelEscaping {
    /// A label value escaped for both formats.
    static func escaped(_ value: String) -> String {
        var bytes = [UInt8]()
        append(value, escapingQuotes: true, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    static func append(_ text: String, escapingQuotes: Bool, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                let replacement: UInt8
                switch byte {
                case UInt8(ascii: "\\"): replacement = UInt8(ascii: "\\")
                case UInt8(ascii: "\n"): replacement = UInt8(ascii: "n")
                case UInt8(ascii: "\"") where escapingQuotes: replacement = UInt8(ascii: "\"")
                default: continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(replacement)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        }
    }
}
