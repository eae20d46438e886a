extension String {
    /// Columns this text takes on a terminal: East Asian wide and fullwidth characters (CJK, Hangul, fullwidth
    /// forms, most emoji) take two, combining marks and zero-width characters none, everything else one — the
    /// table formatter pads by this, not by character count, so a row of CJK page titles stays aligned.
    public var displayWidth: Int {
        var w = 0
        for u in unicodeScalars { w += Self.width(of: u) }
        return w
    }

    static func width(of u: Unicode.Scalar) -> Int {
        let v = u.value
        if v < 0x300 { return 1 }
        switch u.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    /// The longest prefix that fits in `columns`, ending in `…` when something was cut.
    public func truncated(toDisplayWidth columns: Int) -> String {
        guard displayWidth > columns else { return self }
        var out = String.UnicodeScalarView()
        var w = 0
        for u in unicodeScalars {
            let cw = Self.width(of: u)
            if w + cw > columns - 1 { break }
            out.append(u)
            w += cw
        }
        return String(out) + "…"
    }
}
