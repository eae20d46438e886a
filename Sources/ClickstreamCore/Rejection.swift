/// A rejected document: the reason, the field it concerns (when one does) and a sentence for a person.
public struct Rejection: Error, Equatable, Sendable {
    public var reason: QuarantineReason
    public var field: String?
    public var message: String

    public init(_ reason: QuarantineReason, field: String? = nil, _ message: String) {
        self.reason = reason
        self.field = field
        self.message = message
    }
}
