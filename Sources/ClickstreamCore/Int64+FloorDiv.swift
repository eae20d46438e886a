/// Division rounding towards negative infinity: the hour or minute of an instant before 1970 is the one it falls in,
/// not the one after it (which `/` would give).
extension Int64 {
    @inlinable @inline(__always)
    public func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
