/// Kinesis sequence numbers are decimal strings of any length (moto: "1", "2"…; AWS: 56 digits): compared as
/// unbounded non-negative integers, never as text or machine integers. Shared by the window replay and the stream.
enum SequenceNumber {
    /// -1, 0 or 1 as `a` is less than, equal to or greater than `b`.
    static func compare(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8.drop { $0 == UInt8(ascii: "0") }), y = Array(b.utf8.drop { $0 == UInt8(ascii: "0") })
        if x.count != y.count { return x.count < y.count ? -1 : 1 }
        for (p, q) in zip(x, y) where p != q { return p < q ? -1 : 1 }
        return 0
    }

    /// a < b as integers.
    static func less(_ a: String, _ b: String) -> Bool { compare(a, b) < 0 }

    /// a ≥ b as integers.
    static func atLeast(_ a: String, _ b: String) -> Bool { compare(a, b) >= 0 }
}
