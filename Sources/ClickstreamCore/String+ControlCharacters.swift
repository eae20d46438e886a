extension String {
    /// Text safe to show on a terminal, one line: C0 controls (ESC, CR, LF, tab…), DEL and the C1 controls
    /// (U+0080–U+009F, which some terminals obey like ESC sequences: U+009B is CSI) are written as escapes
    /// (`\n`, `\r`, `\t`, `\x1B`, `\u{9B}`), so data from an event can neither repaint the screen nor forge a line.
    public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: Self.isControl) else { return self }
        var out = ""
        for u in unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x7F:
                out += "\\x" + String(u.value, radix: 16, uppercase: true).leftPadded(2)
            case _ where Self.isControl(u): out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func isControl(_ u: Unicode.Scalar) -> Bool { u.value < 0x20 || (u.value >= 0x7F && u.value <= 0x9F) }

    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
