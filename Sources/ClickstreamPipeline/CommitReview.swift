import ClickstreamStore

/// Looks at a whole run inside its transaction, where the one-transaction rule makes a refusal free: nothing the
/// run wrote (the rebuild's deletions included) survives a throw or a `false`. The guard against an empty source
/// and the replay's dry run are reviews.
public protocol CommitReview: AnyObject {
    /// Inside the transaction, before the run forgets or writes anything.
    func begin(store: Store) throws
    /// Everything is written, nothing committed: throw to fail the run, return false to roll it back quietly.
    func shouldCommit(_ outcome: Pipeline.Outcome, store: Store) throws -> Bool
}
