import Synchronization

/// What a window replay's readers counted, and the order shards started in; shared by the reader threads.
final class ShardReadCounters: Sendable {
    struct Values: Sendable {
        var calls = 0, records = 0, renewed = 0
        var order: [String] = []
    }
    private let values = Mutex(Values())

    func add(calls: Int = 0, records: Int = 0, renewed: Int = 0) {
        values.withLock { v in
            v.calls += calls
            v.records += records
            v.renewed += renewed
        }
    }

    func started(_ shardId: String) { values.withLock { $0.order.append(shardId) } }

    var current: Values { values.withLock { $0 } }
}
