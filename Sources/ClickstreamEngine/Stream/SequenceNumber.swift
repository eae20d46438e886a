/// Kinesis sequence numbers are decimal strings of any length (56 digits on AWS, "1", "2"… on moto): compared as
/// unbounded non-negative integers.
enum SequenceNumber {
    /// a < b as integers.
    static func less(_ a: String, _ b: String) -> Bool {
        let x = a.drop { $0 == "0" }, y = b.drop { $0 == "0" }
        if x.count != y.count { return x.count < y.count }
        return x < y
    }

    static func atLeast(_ a: String, _ b: String) -> Bool { !less(a, b) }
}
