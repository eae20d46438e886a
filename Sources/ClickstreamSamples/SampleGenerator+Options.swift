extension SampleGenerator {
    public struct Options: Sendable {
        /// PRNG seed (SplitMix64).
        public var seed: UInt64 = 42
        /// Epoch milliseconds of the first hour (truncated to the hour).
        public var startHourMs: Int64 = 1_751_518_800_000 // 2025-07-03T05:00:00Z
        public var hours: Int = 2
        /// Distinct valid events to generate (duplicates and bad lines come on top).
        public var events: Int = 10_000
        /// Events per ordinary session: roughly exponential around this mean (12 % one-event bounces, the rest
        /// at least 2 and at most 4 × the mean), unless `uniformSessionLengths` is set.
        public var meanEventsPerSession: Int = 25
        /// When set, every ordinary session has a length drawn uniformly from this range instead (the production
        /// test client's sessions are 1...10 events).
        public var uniformSessionLengths: ClosedRange<Int>? = nil
        /// Extra exact copies, as a fraction of `events`.
        public var duplicateRate: Double = 0.01
        /// Bad lines, as a fraction of `events`.
        public var badLineRate: Double = 0.001
        /// Events written to the adjacent hour's partition.
        public var neighbourHourRate: Double = 0.005
        /// Sessions with a bot user agent.
        public var botSessionRate: Double = 0.02
        /// Sessions that view `/checkout` as one of their first three events.
        public var earlyCheckoutSessionRate: Double = 0.005
        /// Sessions with more than 50 events in one minute, per 10,000 events (at least one when events >= 1,000).
        public var burstySessionsPer10k: Double = 1

        public init() {}
        public init(seed: UInt64, startHourMs: Int64, hours: Int, events: Int) {
            self.seed = seed
            self.startHourMs = startHourMs
            self.hours = hours
            self.events = events
        }
    }
}
