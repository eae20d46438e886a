import CSQLite

/// Prepare once: the statements the store runs on every apply, forget, checkpoint, object manifest and runs call
/// are kept by SQL text for the life of the connection (GRDB's `cachedStatement(sql:)`). A stream commits about
/// once a second; re-preparing its twenty-odd statements each time costs more than some of the writes.
extension Database {
    /// The connection's statement for `sql`, prepared on first use and kept while the connection lives. It comes
    /// back reset, with its bindings cleared, ready to bind and step.
    ///
    /// The cached statement is handed out only when the cache holds the only reference to it. While a caller still
    /// holds it (in the middle of its rows, or bound and not yet stepped), asking for the same SQL gives a separate,
    /// uncached statement instead, so neither caller's bindings or place in the rows are disturbed. Callers should
    /// therefore hold a cached statement only while they use it.
    ///
    /// Only for SQL from a fixed set (the cache is never trimmed): SQL built from input goes through `prepare`.
    public func cachedStatement(_ sql: String) throws -> Statement {
        guard let index = statementCache.index(forKey: sql) else {
            let statement = try Statement(database: self, sql: sql)
            statementCache[sql] = statement
            return statement
        }
        // Checked in place, before any local copy of the reference exists.
        guard isKnownUniquelyReferenced(&statementCache.values[index]) else {
            return try Statement(database: self, sql: sql)
        }
        let cached = statementCache.values[index]
        // Also clears what a caller that failed half-way left: a statement mid-rows, or bindings.
        cached.reset()
        return cached
    }

    /// `scalarInt` through the statement cache, for SQL from a fixed set; the statement is reset after the read.
    func cachedScalarInt(_ sql: String, _ args: [SQLValue] = []) throws -> Int64? {
        let st = try cachedStatement(sql)
        defer { st.reset() }
        try st.bind(args)
        guard try st.step() else { return nil }
        return st.isNull(0) ? nil : st.int(0)
    }
}
