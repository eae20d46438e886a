/// A cursor over one logical line (an array may have appended more).
struct TOMLScanner {
    static let unterminatedArray = "unterminated array: expected ]"
    var chars: [Unicode.Scalar]
    var pos = 0
    let line: Int
    /// Line the cursor is on (arrays over several lines).
    var currentLine: Int { line + chars[..<min(pos, chars.count)].filter { $0 == "\n" }.count }

    init(_ chars: [Unicode.Scalar], line: Int) {
        self.chars = chars
        self.line = line
    }

    var peek: Unicode.Scalar? { pos < chars.count ? chars[pos] : nil }
    mutating func advance() { pos += 1 }
    mutating func append(_ more: [Unicode.Scalar]) { chars += more }
    mutating func consume(_ c: Unicode.Scalar) -> Bool {
        if peek == c { pos += 1; return true }
        return false
    }
    var atEndOrComment: Bool { peek == nil || peek == "#" }
    mutating func skipSpaces() { while let c = peek, c == " " || c == "\t" { pos += 1 } }
    /// Spaces, newlines and comments inside an array.
    mutating func skipBlank() {
        while let c = peek {
            if c == " " || c == "\t" || c == "\n" || c == "\r" { pos += 1 } else if c == "#" {
                while let d = peek, d != "\n" { _ = d; pos += 1 }
            } else { break }
        }
    }
    func error(_ message: String) -> TOMLDocument.SyntaxError { .init(line: currentLine, message: message) }

    static func isBare(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_" || c == "-"
    }

    mutating func key() throws -> String {
        if peek == "\"" || peek == "'" { return try string() }
        let start = pos
        while let c = peek, Self.isBare(c) { pos += 1 }
        guard pos > start else {
            throw error(peek.map { "unexpected character \"\($0)\"; expected a key" } ?? "expected a key")
        }
        return String(String.UnicodeScalarView(chars[start..<pos]))
    }

    mutating func value() throws -> TOMLDocument.Value {
        guard let c = peek else { throw error("missing value after =") }
        switch c {
        case "\"", "'": return .string(try string())
        case "[": return try array()
        case "{": throw error("inline tables ({…}) are not supported; use a [table] header")
        default: break
        }
        let start = pos
        while let c = peek, Self.isBare(c) || c == "." || c == "+" { pos += 1 }
        let word = String(String.UnicodeScalarView(chars[start..<pos]))
        if word == "true" { return .bool(true) }
        if word == "false" { return .bool(false) }
        let digits = word.replacingOccurrences(of: "_", with: "")
        if !digits.isEmpty, let i = Int64(digits) { return .integer(i) }
        if !digits.isEmpty, digits.contains(where: { $0.isNumber }), let d = Double(digits), d.isFinite { return .float(d) }
        if word.isEmpty { throw error("unexpected character \"\(c)\"; expected a value") }
        throw error("\(word) is not a value: strings need quotes (\"\(word)\")")
    }

    mutating func array() throws -> TOMLDocument.Value {
        _ = consume("[")
        var items: [TOMLDocument.Value] = []
        while true {
            skipBlank()
            if peek == nil { throw error(Self.unterminatedArray) }
            if consume("]") { return .array(items) }
            items.append(try value())
            skipBlank()
            if peek == nil { throw error(Self.unterminatedArray) }
            if consume(",") { continue }
            guard consume("]") else { throw error("expected , or ] in the array") }
            return .array(items)
        }
    }

    mutating func string() throws -> String {
        let quote = peek!
        pos += 1
        if quote == "\"" && peek == "\"" && pos + 1 < chars.count && chars[pos + 1] == "\"" {
            throw error("multi-line strings are not supported")
        }
        var out = String.UnicodeScalarView()
        while let c = peek {
            pos += 1
            if c == quote { return String(out) }
            if c == "\n" { break }
            if c == "\\" && quote == "\"" {
                guard let e = peek else { break }
                pos += 1
                switch e {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "u", "U":
                    let n = e == "u" ? 4 : 8
                    guard pos + n <= chars.count, let v = UInt32(String(String.UnicodeScalarView(chars[pos..<pos + n])), radix: 16),
                          let scalar = Unicode.Scalar(v) else { throw error("invalid \\\(e) escape") }
                    out.append(scalar)
                    pos += n
                default: throw error("invalid escape \\\(e) in a string")
                }
            } else {
                out.append(c)
            }
        }
        throw error("unterminated string: expected \(quote)")
    }
}
