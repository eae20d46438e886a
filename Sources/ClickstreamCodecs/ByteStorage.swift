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
        var newCapacity = capacity
        while newCapacity < minimum { newCapacity = newCapacity > Int.max / 2 ? minimum : newCapacity * 2 }
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
