extension SampleGenerator {
    /// What was written.
    public struct Report: Equatable, Sendable {
        /// Valid event documents written, duplicates included.
        public var events = 0
        public var distinctEvents = 0
        public var duplicates = 0
        public var badLines = 0
        public var files = 0
        public var bytes = 0
        public init() {}
    }
}
