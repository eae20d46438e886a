@testable import ClickstreamCore

/// A `RawEvent` copied out of the parser's views.
struct ParsedEvent: Equatable {
    var eventType: String
    var sessionId: String
    var timestampMs: Int64
    var userId: String? = nil
    var pageUrl: String? = nil
    var userAgent: String? = nil
    var ipAddress: String? = nil
    var referrer: String? = nil
    var eventId: String? = nil
}

private func string(_ b: UnsafeRawBufferPointer?) -> String? {
    b.map { String(decoding: $0, as: UTF8.self) }
}

func parseEvent(_ bytes: [UInt8], parser: inout EventParser) -> Result<ParsedEvent, Rejection> {
    bytes.withUnsafeBytes { doc in
        parser.parse(doc).map { e in
            ParsedEvent(eventType: string(e.eventType)!, sessionId: string(e.sessionId)!, timestampMs: e.timestampMs,
                        userId: string(e.userId), pageUrl: string(e.pageUrl), userAgent: string(e.userAgent),
                        ipAddress: string(e.ipAddress), referrer: string(e.referrer), eventId: string(e.eventId))
        }
    }
}

func parseEvent(_ text: String) -> Result<ParsedEvent, Rejection> {
    var parser = EventParser()
    return parseEvent(Array(text.utf8), parser: &parser)
}

func parseEvent(bytes: [UInt8]) -> Result<ParsedEvent, Rejection> {
    var parser = EventParser()
    return parseEvent(bytes, parser: &parser)
}
