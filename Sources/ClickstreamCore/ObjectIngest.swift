/// The one way every source turns an object's bytes into events: split into documents, parse each, and hand
/// accepted events and rejections to the worker's buffer. `location` names the document inside the source
/// (`line N`), so a rejection can be found again.
public enum ObjectIngest {
    public static func ingest(_ object: UnsafeRawBufferPointer, source: String, into buffer: inout IngestBuffer,
                              parser: inout EventParser, locationPrefix: String = "") {
        buffer.stats.objects += 1
        buffer.stats.bytes += object.count
        ObjectSplitter.forEachDocument(in: object) { line, document in
            switch parser.parse(document) {
            case .success(let event):
                buffer.add(event)
            case .failure(let rejection):
                buffer.reject(rejection, source: source, location: "\(locationPrefix)line \(line)", raw: document)
            }
        }
    }
}
