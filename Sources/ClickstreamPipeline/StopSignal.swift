import Synchronization

/// A request to stop, raised from any thread (a signal handler, a test) and polled by a long-running source between
/// batches: the batch in flight is still committed.
public final class StopSignal: Sendable {
    private let raised = Mutex(false)

    public init() {}

    public func raise() { raised.withLock { $0 = true } }

    public var isRaised: Bool { raised.withLock { $0 } }
}
