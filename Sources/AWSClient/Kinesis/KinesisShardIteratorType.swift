import CurlHTTP
import Foundation

/// Where a shard iterator starts.
public enum KinesisShardIteratorType: Sendable, Equatable {
    /// The first record at or after this instant (sent as epoch seconds, a JSON number).
    case atTimestamp(Date)
    case atSequenceNumber(String)
    case afterSequenceNumber(String)
    case trimHorizon
    case latest

    var fields: [String: Any] {
        switch self {
        case let .atTimestamp(date): return ["ShardIteratorType": "AT_TIMESTAMP", "Timestamp": date.timeIntervalSince1970]
        case let .atSequenceNumber(n): return ["ShardIteratorType": "AT_SEQUENCE_NUMBER", "StartingSequenceNumber": n]
        case let .afterSequenceNumber(n): return ["ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "StartingSequenceNumber": n]
        case .trimHorizon: return ["ShardIteratorType": "TRIM_HORIZON"]
        case .latest: return ["ShardIteratorType": "LATEST"]
        }
    }
}
