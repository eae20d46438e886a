/// The fixed byte strings of an event line, converted once rather than per event.
enum SampleLiterals {
    static let eventId = Array("\"event_id\":\"".utf8)
    static let quoteComma = Array("\",".utf8)
    static let sessionId = Array("\"session_id\":\"sess_".utf8)
    static let userId = Array("\"user_id\":".utf8)
    static let userPrefix = Array("\"user_".utf8)
    static let eventType = Array("\"event_type\":".utf8)
    static let pageUrl = Array(",\"page_url\":\"https://shop.example.com".utf8)
    static let timestamp = Array("\",\"timestamp\":".utf8)
    static let userAgent = Array(",\"user_agent\":\"".utf8)
    static let ipAddress = Array("\",\"ip_address\":\"".utf8)
    static let referrer = Array("\",\"referrer\":".utf8)
    static let null = Array("null".utf8)
    static let zulu = Array("Z".utf8)
    static let plusTwo = Array("+02:00".utf8)
}
