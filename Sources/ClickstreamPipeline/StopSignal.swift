import Synchronization

/// A request to stop, raised from any thread (a signal handler, a test) and polled by a long-running source between
/// batches: the batch in flight is still committed. Actions registered with `whenRaised` run once, on the raising
/// thread (aborting transfers in flight, so a hung request cannot hold the stop).
public final class StopSignal: Sendable {
    private let state = Mutex<(raised: Bool, actions: [@Sendable () -> Void])>((false, []))

    public init() {}

    public func raise() {
        let actions = state.withLock { s -> [@Sendable () -> Void] in
            guard !s.raised else { return [] }
            s.raised = true
            defer { s.actions = [] }
            return s.actions
        }
        for action in actions { action() }
    }

    /// Runs `action` when the signal is raised (at once if it already is).
    public func whenRaised(_ action: @escaping @Sendable () -> Void) {
        let already = state.withLock { s -> Bool in
            if !s.raised { s.actions.append(action) }
            return s.raised
        }
        if already { action() }
    }

    public var isRaised: Bool { state.withLock { $0.raised } }
}
