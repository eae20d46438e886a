/// The one way every source turns an object's bytes into events: split into documents, parse each, and hand
/// accepted events and rejections to the worker's buffer. `location` names the document inside the source
/// (`line N`), so a rejection can be found again.
public enum ObjectIngest {
    /// `byLines`: the bytes are known to be newline-delimited (a later segment of a large file).
    public static func ingest(_ object: UnsafeRawBufferPointer, source: String, into buffer: inout IngestBuffer,
                              parser: inout EventParser, locationPrefix: String = "", byLines: Bool = false) {
        buffer.stats.objects += 1
        buffer.stats.bytes += object.count
        var documents = 0
        var cut: (line: Int, rejection: Rejection, document: UnsafeRawBufferPointer)? = nil
        ObjectSplitter.forEachDocument(in: object, lines: byLines) { line, document in
            documents += 1
            let result = parser.parse(document)
            // A first document over several lines that is not JSON: a truncated pretty-printed object, or NDJSON
            // whose first line is cut short (which the splitter took for the start of one document). Decided below.
            if documents == 1, case .failure(let r) = result, r.reason == .invalidJSON, document.contains(0x0A) {
                cut = (line, r, document)
            } else {
                deliver(result, line: line, document: document, source: source, prefix: locationPrefix, into: &buffer)
            }
        }
        guard let first = cut else { return }
        // Read by lines when any line is an event, so the good lines after a bad first one still count.
        var events = 0
        ObjectSplitter.forEachDocument(in: object, lines: true) { _, line in
            if case .success = parser.parse(line) { events += 1 }
        }
        if events > 0 {
            ObjectSplitter.forEachDocument(in: object, lines: true) { line, document in
                deliver(parser.parse(document), line: line, document: document, source: source, prefix: locationPrefix, into: &buffer)
            }
        } else {
            buffer.reject(first.rejection, source: source, locationPrefix: locationPrefix, line: first.line, raw: first.document)
        }
    }

    @inline(__always)
    static func deliver(_ result: Result<RawEvent, Rejection>, line: Int, document: UnsafeRawBufferPointer, source: String,
                        prefix: String, into buffer: inout IngestBuffer) {
        switch result {
        case .success(let event):
            buffer.add(event)
        case .failure(let rejection):
            buffer.reject(rejection, source: source, locationPrefix: prefix, line: line, raw: document)
        }
    }
}
