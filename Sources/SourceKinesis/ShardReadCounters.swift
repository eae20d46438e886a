import Synchronization

/// What a window replay's readers counted, per shard and in total, and the order shards started in; shared by
/// the reader threads. The per-shard figures are what the summary reports (calls/s, MB/s, throttles).
final class ShardReadCounters: Sendable {
    struct Shard: Sendable, Equatable {
        var calls = 0, records = 0, bytes = 0, throttles = 0
        var waited = 0.0
        var seconds = 0.0
    }
    struct Values: Sendable {
        var calls = 0, records = 0, renewed = 0
        var order: [String] = []
        var shards: [String: Shard] = [:]
    }
    private let values = Mutex(Values())

    func add(calls: Int = 0, records: Int = 0, renewed: Int = 0) {
        values.withLock { v in
            v.calls += calls
            v.records += records
            v.renewed += renewed
        }
    }

    func add(shard: String, calls: Int = 0, records: Int = 0, bytes: Int = 0, throttles: Int = 0, waited: Double = 0, seconds: Double = 0) {
        values.withLock { v in
            v.shards[shard, default: Shard()].calls += calls
            v.shards[shard, default: Shard()].records += records
            v.shards[shard, default: Shard()].bytes += bytes
            v.shards[shard, default: Shard()].throttles += throttles
            v.shards[shard, default: Shard()].waited += waited
            v.shards[shard, default: Shard()].seconds += seconds
        }
    }

    func started(_ shardId: String) { values.withLock { $0.order.append(shardId) } }

    var current: Values { values.withLock { $0 } }
}
