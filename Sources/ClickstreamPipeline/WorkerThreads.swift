import Dispatch
import Foundation
import Synchronization

/// The sources' one way of running work on many threads: `count` real threads, each running `body(worker)`.
/// Real threads rather than `concurrentPerform` (which runs at most one per core): small files on a cold cache and
/// remote reads spend their time waiting, and more of them in flight is what makes them faster.
public final class WorkerThreads: Sendable {
    private let group = DispatchGroup()

    /// Starts the threads; `wait()` for them.
    public init(_ count: Int, stackSize: Int = 1 << 20, _ body: @escaping @Sendable (Int) -> Void) {
        for w in 0..<count {
            group.enter()
            let thread = Thread { [group] in
                body(w)
                group.leave()
            }
            thread.stackSize = stackSize
            thread.start()
        }
    }

    public func wait() { group.wait() }

    /// Runs `body` on `count` threads and returns when all have finished.
    public static func run(_ count: Int, stackSize: Int = 1 << 20, _ body: @escaping @Sendable (Int) -> Void) {
        WorkerThreads(count, stackSize: stackSize, body).wait()
    }
}

/// What each worker hands back, one slot per worker, read once all have finished.
public final class WorkerResults<Value: Sendable>: Sendable {
    private let slots: Mutex<[Value?]>

    public init(count: Int) { slots = Mutex([Value?](repeating: nil, count: count)) }

    public func set(_ worker: Int, _ value: Value) { slots.withLock { $0[worker] = value } }

    /// The values set, in worker order.
    public var values: [Value] { slots.withLock { $0.compactMap { $0 } } }
}

/// A shared counter handing out the next item index to worker threads.
public final class WorkIndex: Sendable {
    private let value: Atomic<Int>

    public init(_ start: Int) { value = Atomic(start) }

    /// The next index (each one handed out once).
    public func take() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
}
