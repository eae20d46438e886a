/// The production Lambda's checks, made exact (README "Tables").
public enum AnomalyRules {
    /// More than this many events of one session in one minute is `high_frequency_clicks`.
    public static let clicksPerMinuteLimit = 50
    /// A checkout with fewer than this many strictly earlier session events is `unusual_page_sequence`.
    public static let minimumEventsBeforeCheckout = 3

    static let botWords: [[UInt8]] = ["bot", "crawler", "spider", "scraper"].map { Array($0.utf8) }

    /// The user agent contains `bot`, `crawler`, `spider` or `scraper`, in any (ASCII) case.
    public static func isBot(_ agent: UnsafeRawBufferPointer) -> Bool {
        let n = agent.count
        for word in botWords where word.count <= n {
            var i = 0
            while i + word.count <= n {
                var j = 0
                while j < word.count && (agent[i + j] | 0x20) == word[j] { j += 1 }
                if j == word.count { return true }
                i += 1
            }
        }
        return false
    }

    public static func isBot(_ agent: String) -> Bool {
        var a = agent
        return a.withUTF8 { isBot(UnsafeRawBufferPointer($0)) }
    }

    /// The page URL contains `/checkout`.
    public static func isCheckout(_ url: UnsafeRawBufferPointer) -> Bool {
        let word = Array("/checkout".utf8)
        let n = url.count
        guard n >= word.count else { return false }
        for i in 0...(n - word.count) {
            var j = 0
            while j < word.count && url[i + j] == word[j] { j += 1 }
            if j == word.count { return true }
        }
        return false
    }

    public static func highFrequency(session: String, minuteMs: Int64, count: Int) -> Anomaly? {
        guard count > clicksPerMinuteLimit else { return nil }
        return Anomaly(sessionId: session, kind: .highFrequencyClicks, atMs: minuteMs, minuteKey: true,
                       details: "\(count) events in one minute (limit \(clicksPerMinuteLimit))")
    }
}
