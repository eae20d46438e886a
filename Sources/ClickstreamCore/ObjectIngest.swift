/// The one way every source turns an object's bytes into events: split into documents, parse each, and hand
/// accepted events and rejections to the worker's buffer. `location` names the document inside the source
/// (`line N`), so a rejection can be found again.
public enum ObjectIngest {
    public static func ingest(_ object: UnsafeRawBufferPointer, source: String, into buffer: inout IngestBuffer,
                              parser: inout EventParser, locationPrefix: String = "") {
        buffer.stats.objects += 1
        buffer.stats.bytes += object.count
        var documents = 0
        var firstRejection: (line: Int, rejection: Rejection, document: UnsafeRawBufferPointer)? = nil
        ObjectSplitter.forEachDocument(in: object) { line, document in
            documents += 1
            switch parser.parse(document) {
            case .success(let event):
                buffer.add(event)
            case .failure(let rejection):
                if documents == 1 && rejection.reason == .invalidJSON {
                    firstRejection = (line, rejection, document) // decided below: it may be a cut first line
                } else {
                    buffer.reject(rejection, source: source, location: "\(locationPrefix)line \(line)", raw: document)
                }
            }
        }
        guard let first = firstRejection else { return }
        // One document that is not JSON: a truncated pretty-printed object, or NDJSON whose first line is cut
        // short (which the splitter took for the start of one document). Read by lines when any line is an event,
        // so the good lines after a bad first one still count.
        if documents == 1 && first.document.contains(0x0A) {
            var events = 0
            ObjectSplitter.forEachDocument(in: object, lines: true) { _, line in
                if case .success = parser.parse(line) { events += 1 }
            }
            if events > 0 {
                ObjectSplitter.forEachDocument(in: object, lines: true) { line, document in
                    switch parser.parse(document) {
                    case .success(let event):
                        buffer.add(event)
                    case .failure(let rejection):
                        buffer.reject(rejection, source: source, location: "\(locationPrefix)line \(line)", raw: document)
                    }
                }
                return
            }
        }
        buffer.reject(first.rejection, source: source, location: "\(locationPrefix)line \(first.line)", raw: first.document)
    }
}
