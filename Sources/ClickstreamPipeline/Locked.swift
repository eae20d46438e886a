import Foundation

/// A value shared between threads, reached only through `withLock`: the one lock type of the package.
///
/// `@unchecked Sendable` is sound because `value` is read and written only while `lock` is held, and `Value` is
/// required to be `Sendable` so what leaves the lock may cross threads.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    @discardableResult
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the current value.
    public var current: Value { withLock { $0 } }
}
