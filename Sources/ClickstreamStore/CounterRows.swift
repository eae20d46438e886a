/// Inserts `counters` rows into minutes that hold no row yet, 64 rows per statement: one multi-row INSERT
/// costs SQLite far less per row than 64 single-row ones. Text is bound without copying, from an arena that
/// lives until the statement has run.
final class CounterRows {
    static let batch = 64
    private let database: Database
    private let many: Statement
    private let one: Statement
    private var arena: [UInt8] = []
    private var rows: [(name: Range<Int>, window: Range<Int>, count: Int64, ttl: Int64)] = []
    private(set) var written = 0

    init(_ database: Database) throws {
        self.database = database
        let values = Array(repeating: "(?, ?, ?, ?)", count: Self.batch).joined(separator: ", ")
        many = try database.cachedStatement("INSERT INTO counters (metric_name, time_window, event_count, ttl) VALUES \(values)")
        one = try database.cachedStatement("INSERT INTO counters (metric_name, time_window, event_count, ttl) VALUES (?, ?, ?, ?)")
        arena.reserveCapacity(Self.batch * 96)
    }

    /// Adds a row whose metric name is `prefix` + `suffix`.
    func add(prefix: [UInt8], suffix: UnsafeRawBufferPointer, window: [UInt8], count: Int64, ttl: Int64) throws {
        let n0 = arena.count
        arena.append(contentsOf: prefix)
        arena.append(contentsOf: suffix)
        let w0 = arena.count
        arena.append(contentsOf: window)
        rows.append((n0..<w0, w0..<arena.count, count, ttl))
        if rows.count == Self.batch { try flush() }
    }

    func flush() throws {
        guard !rows.isEmpty else { return }
        let st = rows.count == Self.batch ? many : one
        try arena.withUnsafeBytes { a in
            if st === many {
                try bind(st, a, rows, from: 0)
                try st.run()
            } else {
                for r in rows {
                    try bind(st, a, [r], from: 0)
                    try st.run()
                }
            }
        }
        written += rows.count
        rows.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
    }

    private func bind(_ st: Statement, _ a: UnsafeRawBufferPointer,
                      _ rows: [(name: Range<Int>, window: Range<Int>, count: Int64, ttl: Int64)], from: Int32) throws {
        for (i, r) in rows.enumerated() {
            let c = Int32(i * 4) + 1
            try st.bindTextNoCopy(c, UnsafeRawBufferPointer(rebasing: a[r.name]))
            try st.bindTextNoCopy(c + 1, UnsafeRawBufferPointer(rebasing: a[r.window]))
            try st.bind(c + 2, r.count)
            try st.bind(c + 3, r.ttl)
        }
    }
}
