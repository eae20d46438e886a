/// A growable block of raw memory whose capacity is kept between uses, so reading many small objects
/// allocates only while the largest one so far grows.
final class ByteStorage {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int

    init(capacity: Int = 64 * 1024) {
        self.capacity = max(capacity, 16)
        self.base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Makes room for at least `minimum` bytes, keeping the first `preserving` bytes.
    func reserve(_ minimum: Int, preserving: Int) {
        guard minimum > capacity else { return }
        // Double (amortized growth), or exactly `minimum` when that is more: a caller with a bound (the inflater's
        // cap) asks for at most the bound and gets no more than it.
        let newCapacity = capacity <= Int.max / 2 ? max(minimum, capacity * 2) : minimum
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        if preserving > 0 { newBase.copyMemory(from: base, byteCount: preserving) }
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    func view(count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }
}
