/// Merges the runs of a spill file (each sorted by session id) into one group per session, in id order: a
/// k-way merge through a binary heap of the runs' readers, ordered by their current session id (byte order, as
/// SQLite's BINARY collation orders the tables' keys). The heap holds each head's first eight bytes as an integer,
/// so most comparisons touch no array.
struct SpillMerge {
    private struct Head { var prefix: UInt64; var reader: Int }
    private var readers: [SpillRunReader]
    private var heap: [Head] = []

    init(_ file: SpillFile, runs: [Range<Int64>]) throws {
        readers = try runs.map { try SpillRunReader(file, run: $0) }
        for i in readers.indices where readers[i].current != nil { push(i) }
    }

    /// The next session's group, all runs' parts of it absorbed; nil at the end.
    mutating func next() throws -> SessionGroup? {
        guard let top = heap.first else { return nil }
        var group = readers[top.reader].current!
        try step(top.reader)
        while let r = heap.first, r.prefix == top.prefix, readers[r.reader].current!.session == group.session {
            group.absorb(readers[r.reader].current!)
            try step(r.reader)
        }
        return group
    }

    /// Advances the reader at the heap's top and restores the heap.
    private mutating func step(_ r: Int) throws {
        try readers[r].advance()
        if let group = readers[r].current {
            heap[0].prefix = Self.prefix(group.session)
        } else {
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
        }
        if !heap.isEmpty { siftDown(0) }
    }

    /// The first eight bytes, big-endian (zero-padded): integer order is byte order on them.
    private static func prefix(_ id: [UInt8]) -> UInt64 {
        var p: UInt64 = 0
        for k in 0..<8 { p = p << 8 | UInt64(k < id.count ? id[k] : 0) }
        return p
    }

    private func less(_ a: Head, _ b: Head) -> Bool {
        if a.prefix != b.prefix { return a.prefix < b.prefix }
        return readers[a.reader].current!.session.lexicographicallyPrecedes(readers[b.reader].current!.session)
    }

    private mutating func push(_ r: Int) {
        heap.append(Head(prefix: Self.prefix(readers[r].current!.session), reader: r))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count && less(heap[l], heap[m]) { m = l }
            if r < heap.count && less(heap[r], heap[m]) { m = r }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
        }
    }
}
