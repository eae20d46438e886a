/// `file://` URLs of local archives, decoded in one place for the command line, job files and the archive walker:
/// `file:///abs/path` and `file://localhost/abs/path` name `/abs/path`, with percent-escapes decoded.
public enum FileURL {
    public struct Invalid: Error, CustomStringConvertible {
        public let url: String
        public let reason: String
        public var description: String { "archive URL '\(url)' is not supported: \(reason)" }
    }

    /// The local path a `file:` URL names; text without the `file:` scheme is returned as it is.
    public static func path(of text: String) throws -> String {
        guard text.hasPrefix("file:") else { return text }
        guard text.hasPrefix("file://") else { throw Invalid(url: text, reason: "expected file:///absolute/path") }
        var rest = Substring(text.dropFirst("file://".count))
        if rest.hasPrefix("localhost/") { rest = rest.dropFirst("localhost".count) }
        guard rest.hasPrefix("/") else { throw Invalid(url: text, reason: "only local files are supported (file:///absolute/path)") }
        guard let decoded = percentDecoded(rest) else { throw Invalid(url: text, reason: "invalid percent-encoding") }
        return decoded
    }

    static func percentDecoded(_ text: Substring) -> String? {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        func hex(_ byte: UInt8?) -> UInt8? {
            switch byte {
            case let b? where b >= 0x30 && b <= 0x39: return b - 0x30
            case let b? where b >= 0x41 && b <= 0x46: return b - 0x41 + 10
            case let b? where b >= 0x61 && b <= 0x66: return b - 0x61 + 10
            default: return nil
            }
        }
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = hex(iterator.next()), let low = hex(iterator.next()) else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
