/// One parsed event as views of bytes. String fields hold the *decoded* UTF-8 value (JSON escapes resolved).
/// The views point into the parsed input or into the parser's scratch space and are valid only until the
/// next call to the same parser; copy what must outlive that.
public struct RawEvent {
    /// Non-empty.
    public var eventType: UnsafeRawBufferPointer
    /// Non-empty.
    public var sessionId: UnsafeRawBufferPointer
    /// Milliseconds since the Unix epoch, UTC (fractions beyond milliseconds truncated).
    public var timestampMs: Int64
    /// Optional fields: `nil` when absent or JSON null; may be empty ("" is a value).
    /// `pageUrl` is non-nil and non-empty when `eventType` is `page_view`.
    public var userId: UnsafeRawBufferPointer?
    public var pageUrl: UnsafeRawBufferPointer?
    public var userAgent: UnsafeRawBufferPointer?
    public var ipAddress: UnsafeRawBufferPointer?
    public var referrer: UnsafeRawBufferPointer?
    public var eventId: UnsafeRawBufferPointer?

    public init(eventType: UnsafeRawBufferPointer, sessionId: UnsafeRawBufferPointer, timestampMs: Int64,
                userId: UnsafeRawBufferPointer? = nil, pageUrl: UnsafeRawBufferPointer? = nil,
                userAgent: UnsafeRawBufferPointer? = nil, ipAddress: UnsafeRawBufferPointer? = nil,
                referrer: UnsafeRawBufferPointer? = nil, eventId: UnsafeRawBufferPointer? = nil) {
        self.eventType = eventType
        self.sessionId = sessionId
        self.timestampMs = timestampMs
        self.userId = userId
        self.pageUrl = pageUrl
        self.userAgent = userAgent
        self.ipAddress = ipAddress
        self.referrer = referrer
        self.eventId = eventId
    }
}
