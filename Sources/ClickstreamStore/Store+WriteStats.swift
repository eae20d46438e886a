extension Store {
    /// Row counts written by one `apply` or `forget`.
    public struct WriteStats: Equatable, Sendable {
        public var rowsWritten = 0
        public var rowsDeleted = 0
        public var sessionsRecomputed = 0
        public init() {}
        public mutating func add(_ o: WriteStats) {
            rowsWritten += o.rowsWritten
            rowsDeleted += o.rowsDeleted
            sessionsRecomputed += o.sessionsRecomputed
        }
    }
}
