extension String {
    /// Cell text for output that keeps one row per line: newline, CR and tab are escaped, other control characters
    /// shown as `?`, so a value cannot break the layout.
    func replacingControlCharacters() -> String {
        guard unicodeScalars.contains(where: { $0.value < 0x20 }) else { return self }
        var out = ""
        for u in unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += "?"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
