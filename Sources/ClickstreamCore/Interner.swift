/// Maps byte strings to dense ids `1...count` (0 is reserved for "none"), storing each distinct string once in an
/// arena. Lookups compare bytes, so equal ids mean equal strings — the hash only finds the slot.
public struct Interner: Sendable {
    private var slots: [UInt32]          // 0 = empty, else id
    private var hashes: [UInt64] = [0]   // by id
    private var offsets: [Int] = [0]     // by id
    private var lengths: [Int32] = [0]   // by id
    private var arena: [UInt8] = []
    private var mask: Int

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Number of distinct strings.
    public var count: Int { hashes.count - 1 }

    /// The id of `bytes` (whose hash is `hash`), adding it when new.
    @inline(__always)
    public mutating func intern(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> UInt32 {
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[i]
            if id == 0 { break }
            if hashes[Int(id)] == hash && equals(Int(id), bytes) { return id }
            i = (i + 1) & mask
        }
        let id = UInt32(hashes.count)
        hashes.append(hash)
        offsets.append(arena.count)
        lengths.append(Int32(bytes.count))
        arena.append(contentsOf: bytes)
        slots[i] = id
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    @inline(__always)
    private func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let len = Int(lengths[id])
        guard len == bytes.count else { return false }
        if len == 0 { return true }
        return arena.withUnsafeBytes { a in
            memcmp(a.baseAddress! + offsets[id], bytes.baseAddress!, len) == 0
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
        for id in 1..<hashes.count {
            var i = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = UInt32(id)
        }
    }

    /// The id of `bytes` when interned, else nil.
    public func lookup(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> UInt32? {
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[i]
            if id == 0 { return nil }
            if hashes[Int(id)] == hash && equals(Int(id), bytes) { return id }
            i = (i + 1) & mask
        }
    }

    public func hash(of id: UInt32) -> UInt64 { hashes[Int(id)] }

    /// Calls `body` with the bytes of `id` (valid only inside `body`).
    public func withBytes<R>(of id: UInt32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try arena.withUnsafeBytes { a in
            try body(UnsafeRawBufferPointer(rebasing: a[offsets[Int(id)] ..< offsets[Int(id)] + Int(lengths[Int(id)])]))
        }
    }

    public func string(of id: UInt32) -> String {
        withBytes(of: id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Byte-wise (SQLite BINARY) ordering of two ids' strings.
    public func less(_ a: UInt32, _ b: UInt32) -> Bool {
        withBytes(of: a) { x in
            withBytes(of: b) { y in
                let n = min(x.count, y.count)
                let c = n == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, n)
                return c != 0 ? c < 0 : x.count < y.count
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
