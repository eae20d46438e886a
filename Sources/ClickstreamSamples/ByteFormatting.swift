import ClickstreamCore

// Formatting without Foundation per event: the generator writes millions of lines.

/// (year, month, day) of days since 1970-01-01, from the core's calendar arithmetic.
func civil(days: Int64) -> (Int64, Int64, Int64) {
    let c = Timestamp.civil(days * 86_400_000)
    return (Int64(c.year), Int64(c.month), Int64(c.day))
}

@inline(__always) private func append2(_ v: Int64, into out: inout [UInt8]) {
    out.append(0x30 + UInt8(v / 10)); out.append(0x30 + UInt8(v % 10))
}

/// `YYYY-MM-DDTHH:MM:SS.mmm` (no zone) of epoch milliseconds.
func appendISO(_ ms: Int64, into out: inout [UInt8]) {
    let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
    let rem = ms - days * 86_400_000
    let (y, m, d) = civil(days: days)
    append2(y / 100, into: &out); append2(y % 100, into: &out); out.append(0x2D)
    append2(m, into: &out); out.append(0x2D); append2(d, into: &out); out.append(0x54)
    append2(rem / 3_600_000, into: &out); out.append(0x3A)
    append2(rem / 60_000 % 60, into: &out); out.append(0x3A)
    append2(rem / 1_000 % 60, into: &out); out.append(0x2E)
    let f = rem % 1_000
    out.append(0x30 + UInt8(f / 100)); append2(f % 100, into: &out)
}

func appendDecimal(_ v: Int64, into out: inout [UInt8]) {
    if v < 0 { out.append(0x2D); appendDecimal(-v, into: &out); return }
    if v >= 10 { appendDecimal(v / 10, into: &out) }
    out.append(0x30 + UInt8(v % 10))
}

private let hexDigits = Array("0123456789abcdef".utf8)

func appendHex(_ v: UInt64, digits: Int, into out: inout [UInt8]) {
    var shift = (digits - 1) * 4
    while shift >= 0 {
        out.append(hexDigits[Int((v >> UInt64(shift)) & 0xF)])
        shift -= 4
    }
}

/// An 8-4-4-4-12 version-4-looking id from 64 bits (the rest derived by mixing).
func appendUUID(_ x: UInt64, into out: inout [UInt8]) {
    let y = mix(x, 0x9E37_79B9)
    appendHex(x >> 32, digits: 8, into: &out); out.append(0x2D)
    appendHex(x >> 16, digits: 4, into: &out); out.append(0x2D)
    out.append(0x34); appendHex(x, digits: 3, into: &out); out.append(0x2D)
    out.append(hexDigits[8 + Int(y >> 62)]); appendHex(y >> 48, digits: 3, into: &out); out.append(0x2D)
    appendHex(y, digits: 12, into: &out)
}
