import ClickstreamCore
import ClickstreamStore

/// The port between a source and the aggregation core. A source first checks and lists what it will read
/// (`prepare`, before anything is written), then reads it, handing the core filled worker buffers one chunk
/// at a time (`emit`), so that memory stays bounded however large the window.
public protocol ReplaySource: AnyObject {
    /// The URL as the user wrote it.
    var name: String { get }
    /// Fails with an error naming the source when it does not exist or cannot be listed.
    func prepare(window: Range<Int64>) throws
    func read(window: Range<Int64>, progress: RunProgress, emit: (inout [IngestBuffer]) throws -> Void) throws

    /// Called inside the run's transaction just before `readChunks`, with the store the chunks go to (for
    /// example to look up which objects an earlier run already read). Default: nothing.
    func willRead(store: Store) throws
    /// Like `read`, but each chunk may carry manifest rows that the writer commits in the same transaction as
    /// the chunk's aggregates. Default: `read`, with no manifest rows.
    func readChunks(window: Range<Int64>, progress: RunProgress, emit: (inout ReplayChunk) throws -> Void) throws
    /// Objects left unread because the store already holds their events (reported in the summary). Default: 0.
    var skippedUnchanged: Int { get }
}

/// One chunk a source hands to the writer: the workers' buffers plus what the store should remember about the
/// objects they came from.
public struct ReplayChunk {
    public var buffers: [IngestBuffer]
    public var objects: [Store.ObjectManifestEntry]

    public init(buffers: [IngestBuffer], objects: [Store.ObjectManifestEntry] = []) {
        self.buffers = buffers
        self.objects = objects
    }
}

extension ReplaySource {
    public func willRead(store: Store) throws {}

    public func readChunks(window: Range<Int64>, progress: RunProgress, emit: (inout ReplayChunk) throws -> Void) throws {
        try read(window: window, progress: progress) { buffers in
            var chunk = ReplayChunk(buffers: buffers)
            buffers = []
            try emit(&chunk)
        }
    }

    public var skippedUnchanged: Int { 0 }
}
