/// How hard a bulk write may push a table that production is writing too: a rate ceiling, the most calls in
/// flight (halved when DynamoDB throttles, grown back by one per clean wave), and how long, in total, throttled
/// or unprocessed items may wait for backoff before the rest is reported as failed.
public struct DynamoDBWriteBudget: Sendable, Equatable {
    /// Items per second at most; nil: as fast as DynamoDB answers.
    public var maxItemsPerSecond: Double?
    public var maxConcurrency: Int
    /// Seconds of backoff, accumulated over the whole write, before giving up on what is still unwritten.
    public var maxRetryWait: Double
    /// One backoff's cap (DynamoDB's own guidance and the SDKs cap near 20 s).
    public var maxDelay: Double

    public init(maxItemsPerSecond: Double? = nil, maxConcurrency: Int = 16, maxRetryWait: Double = 600, maxDelay: Double = 20) {
        self.maxItemsPerSecond = maxItemsPerSecond
        self.maxConcurrency = max(1, maxConcurrency)
        self.maxRetryWait = maxRetryWait
        self.maxDelay = maxDelay
    }

    /// `600 s`, `1.5 s`: how error messages name the wait bound.
    var maxRetryWaitText: String {
        (maxRetryWait == maxRetryWait.rounded() ? String(Int(maxRetryWait)) : String(maxRetryWait)) + " s"
    }

    /// Full-jitter exponential backoff for the `n`th consecutive throttled wave (1-based), in seconds.
    func delay(afterThrottledWave n: Int) -> Double {
        let ceiling = min(maxDelay, 0.05 * Double(1 << min(n, 20)))
        return Double.random(in: ceiling / 2 ... ceiling)
    }
}
