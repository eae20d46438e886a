/// Where a walk down an archive tree stands with respect to partitions, one folder name at a time.
///
/// Shared by the local walk and prefix listings (S3): start with `PartitionCursor()` at the archive root and
/// call `descending(into:)` for each folder entered. A partition starts at the first folder that is a year
/// (`year=2025` or `2025`), is narrowed by each following field, and is settled (no longer parsed) once it
/// reaches the hour or meets a folder that does not continue it; below such a folder nothing more is learned,
/// so nothing more is pruned, but what was learned above still holds.
public struct PartitionCursor: Hashable, Sendable {
    /// The partition recognised so far, `nil` while no partition has started.
    public private(set) var partition: PartitionPath?
    private var settled = false

    public init() {}

    /// The cursor for the folder `component` below this one.
    public func descending(into component: some StringProtocol) -> PartitionCursor {
        guard !settled else { return self }
        var next = self
        if let partition {
            if let narrower = partition.appending(component) {
                next.partition = narrower
                next.settled = narrower.isComplete
            } else {
                next.settled = true
            }
        } else if let started = PartitionPath.start(component) {
            next.partition = started
        }
        return next
    }

    /// Epoch milliseconds of the hour that holds this folder, when a complete hour partition was recognised.
    public var hourStart: Int64? { partition?.hourStart }

    /// Whether this folder can hold events of `[from, to)`: always true outside any recognised partition.
    public func mayHold(from: Int64, to: Int64) -> Bool {
        partition?.overlaps(from: from, to: to) ?? true
    }
}
