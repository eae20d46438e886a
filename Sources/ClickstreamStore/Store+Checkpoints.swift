import ClickstreamCore

/// The `_checkpoints` table: per (stream, shard) the sequence number of the last record whose events are in the
/// tables. `saveCheckpoint` is meant to run inside the same transaction as the `apply` of those events, so a
/// checkpoint can never get ahead of the aggregates it stands for (nor fall behind them after a commit).
extension Store {
    public struct ShardCheckpoint: Equatable, Sendable {
        public var shardId: String
        public var sequenceNumber: String
        public var millisBehind: Int64?
        public var updatedAt: String
        public init(shardId: String, sequenceNumber: String, millisBehind: Int64?, updatedAt: String) {
            self.shardId = shardId
            self.sequenceNumber = sequenceNumber
            self.millisBehind = millisBehind
            self.updatedAt = updatedAt
        }
    }

    /// Every stored checkpoint of `stream`, by shard id.
    public func checkpoints(stream: String) throws -> [String: ShardCheckpoint] {
        let st = try database.cachedStatement("""
            SELECT shard_id, sequence_number, millis_behind, updated_at FROM _checkpoints WHERE stream = ?
            """)
        try st.bind(1, stream)
        var out: [String: ShardCheckpoint] = [:]
        while try st.step() {
            let c = ShardCheckpoint(shardId: st.string(0), sequenceNumber: st.string(1), millisBehind: st.optionalInt(2),
                                    updatedAt: st.string(3))
            out[c.shardId] = c
        }
        return out
    }

    /// Inserts or moves one shard's checkpoint. Call inside the transaction that applies the shard's records.
    public func saveCheckpoint(stream: String, shardId: String, sequenceNumber: String, millisBehind: Int64?, nowMs: Int64) throws {
        let st = try database.cachedStatement("""
            INSERT INTO _checkpoints (stream, shard_id, sequence_number, millis_behind, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET sequence_number = excluded.sequence_number, millis_behind = excluded.millis_behind,
                updated_at = excluded.updated_at
            """)
        try st.bind([.text(stream), .text(shardId), .text(sequenceNumber), millisBehind.map { .integer($0) } ?? .null,
                     .text(Timestamp.instant(nowMs))])
        try st.run()
    }

    /// Refreshes the lag of a shard that has a checkpoint, leaving its sequence number as it is.
    public func updateCheckpointLag(stream: String, shardId: String, millisBehind: Int64?, nowMs: Int64) throws {
        let st = try database.cachedStatement("UPDATE _checkpoints SET millis_behind = ?, updated_at = ? WHERE stream = ? AND shard_id = ?")
        try st.bind([millisBehind.map { .integer($0) } ?? .null, .text(Timestamp.instant(nowMs)), .text(stream), .text(shardId)])
        try st.run()
    }

    /// The anomalies rows of `sessions` (to tell which ones a batch added or changed).
    public func anomalies(ofSessions sessions: [String]) throws -> Set<Anomaly.Row> {
        let st = try database.cachedStatement("SELECT session_id, kind, at, details FROM anomalies WHERE session_id = ?")
        var out = Set<Anomaly.Row>()
        for s in sessions {
            try st.bind(1, s)
            while try st.step() {
                out.insert(Anomaly.Row(sessionId: st.string(0), kind: st.string(1), at: st.string(2), details: st.string(3)))
            }
            st.reset()
        }
        return out
    }

    /// The identity (ARN@creation) of the stream the checkpoints of `stream` belong to, if recorded.
    public func streamIdentity(_ stream: String) throws -> String? {
        let st = try database.cachedStatement("SELECT value FROM _meta WHERE key = ?")
        try st.bind(1, "stream_identity/" + stream)
        defer { st.reset() }
        return try st.step() ? st.string(0) : nil
    }

    public func setStreamIdentity(_ stream: String, _ identity: String) throws {
        let st = try database.cachedStatement("INSERT INTO _meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        try st.bind([.text("stream_identity/" + stream), .text(identity)])
        _ = try st.step()
        st.reset()
    }

    /// Drops every checkpoint of `stream` (a re-created stream: its sequence numbers mean nothing any more).
    public func forgetCheckpoints(stream: String) throws {
        let st = try database.cachedStatement("DELETE FROM _checkpoints WHERE stream = ?")
        try st.bind(1, stream)
        _ = try st.step()
        st.reset()
    }
}
