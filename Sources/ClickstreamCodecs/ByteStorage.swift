#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable block of raw memory whose capacity is kept between uses, so reading many small objects
/// allocates only while the largest one so far grows.
///
/// Blocks of `mapThreshold` bytes or more are anonymous `mmap`s, returned to the system when they are replaced:
/// the process tunes malloc to keep freed memory (`ProcessTuning`), so growing a heap block by doubling left every
/// earlier size resident — an inflating gzip bomb held about twice its cap (1.1 GB peak RSS at a 512 MiB cap);
/// with maps it holds the cap plus, for a moment, the half copied.
final class ByteStorage {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    /// Whether `base` is an `mmap` (else `malloc`).
    private var mapped = false
    static let mapThreshold = 32 << 20

    init(capacity: Int = 64 * 1024) {
        self.capacity = max(capacity, 16)
        guard let p = malloc(self.capacity) else { fatalError("out of memory allocating \(self.capacity) bytes") }
        self.base = p
    }

    deinit { release(base, capacity, mapped) }

    /// Makes room for at least `minimum` bytes, keeping the first `preserving` bytes; growth doubles, but never
    /// past `limit` (the inflater's cap) unless `minimum` is more.
    func reserve(_ minimum: Int, preserving: Int, limit: Int = .max) {
        guard minimum > capacity else { return }
        let doubled = capacity <= Int.max / 2 ? max(minimum, capacity * 2) : minimum
        let newCapacity = min(doubled, max(minimum, limit))
        let newMapped = newCapacity >= Self.mapThreshold
        let newBase: UnsafeMutableRawPointer
        if newMapped {
            guard let p = mmap(nil, newCapacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
                fatalError("out of memory mapping a buffer of \(newCapacity) bytes")
            }
            newBase = p
        } else {
            guard let p = malloc(newCapacity) else { fatalError("out of memory growing a buffer to \(newCapacity) bytes") }
            newBase = p
        }
        if preserving > 0 { newBase.copyMemory(from: base, byteCount: preserving) }
        release(base, capacity, mapped)
        base = newBase
        capacity = newCapacity
        mapped = newMapped
    }

    private func release(_ p: UnsafeMutableRawPointer, _ count: Int, _ isMapped: Bool) {
        if isMapped { munmap(p, count) } else { free(p) }
    }

    func view(count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }
}
