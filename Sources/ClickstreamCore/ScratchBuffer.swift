/// Reusable byte storage that `EventParser` decodes escaped strings into. Owned by one parser, freed in `deinit`.
/// It only grows, so a steady stream of events allocates nothing once it has reached the size of the largest
/// escaped document seen.
final class ScratchBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
        self.base = .allocate(capacity: capacity)
    }

    deinit {
        base.deallocate()
    }

    /// Makes room for at least `count` bytes. Contents are not preserved: callers reserve before writing.
    @inline(never)
    func reserve(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if count > capacity {
            var newCapacity = capacity
            while newCapacity < count { newCapacity *= 2 }
            base.deallocate()
            base = .allocate(capacity: newCapacity)
            capacity = newCapacity
        }
        return base
    }
}
