import ClickstreamCore

/// The port between a source and the aggregation core. A source first checks and lists what it will read
/// (`prepare`, before anything is written), then reads it, handing the core filled worker buffers one chunk
/// at a time (`emit`), so that memory stays bounded however large the window.
public protocol ReplaySource: AnyObject {
    /// The URL as the user wrote it.
    var name: String { get }
    /// Fails with an error naming the source when it does not exist or cannot be listed.
    func prepare(window: Range<Int64>) throws
    func read(window: Range<Int64>, progress: Progress, emit: (inout [IngestBuffer]) throws -> Void) throws
}
