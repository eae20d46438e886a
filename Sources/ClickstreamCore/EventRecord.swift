/// One accepted event, reduced to what the tables need. String fields are ids in the owning buffer's interners.
public struct EventRecord: Sendable {
    /// Identity for dedupe: the hash of `event_id` when present (top bit set), else a hash of `content` (top bit
    /// clear) (README "Tables").
    public var key: UInt64
    /// Hash of the eight fields (event_type, session_id, user_id, timestamp, page_url, user_agent, ip_address,
    /// referrer); decides deterministically which of several events sharing an `event_id` is kept.
    public var content: UInt64
    public var timestampMs: Int64
    public var session: UInt32
    public var type: UInt32
    /// 0 = none.
    public var page: UInt32
    /// 0 = none.
    public var agent: UInt32

    /// The top bit of `key` marks keys made from an `event_id`: the only ones that can recur in another hour.
    public static let idKeyBit: UInt64 = 1 << 63

    @inlinable public var hasEventId: Bool { key & Self.idKeyBit != 0 }

    @inlinable public var hour: Int64 { timestampMs.floorDiv(3_600_000) }
    @inlinable public var minute: Int64 { timestampMs.floorDiv(60_000) }
}
