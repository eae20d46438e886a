/// A TIME argument that is none of the accepted forms; its description is the one-line usage message.
public struct TimeExpressionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The text as given.
    public var text: String

    public init(text: String) {
        self.text = text
    }

    public var description: String {
        "invalid time \"\(text)\": expected an ISO 8601 instant (2025-07-03T05:00:00Z, offsets allowed), "
            + "a date (2025-07-03), now, today, yesterday, or a relative time (-90s, -30m, -6h, -7d)"
    }
}
