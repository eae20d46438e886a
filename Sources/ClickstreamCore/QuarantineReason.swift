/// Why a line or object was rejected (README "Tables"). The raw values are what the `quarantine` table stores.
public enum QuarantineReason: String, CaseIterable, Sendable {
    /// The line is not JSON (truncated, invalid UTF-8, garbage).
    case invalidJSON = "invalid_json"
    /// JSON, but not an object.
    case notObject = "not_object"
    /// A required field is absent, null or empty.
    case missingField = "missing_field"
    /// A field has the wrong JSON type (`event_type: 7`, `user_id: 42`).
    case wrongType = "wrong_type"
    /// The timestamp is not one of the accepted forms or not a real instant.
    case badTimestamp = "bad_timestamp"
    /// The whole object cannot be read (truncated gzip, I/O error).
    case unreadable = "unreadable"
}
