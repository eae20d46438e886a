import Foundation

/// A bounded first-in-first-out hand-off between threads: `push` waits while the queue is full (back-pressure on
/// the producer), `pop` waits while it is empty and returns nil once the queue is closed and drained.
public final class BlockingQueue<Element: Sendable>: @unchecked Sendable {
    // Why `@unchecked Sendable` is sound: `items`, `head` and `closed` are only read or written while `condition`
    // is locked, and elements are `Sendable`. (A condition variable, which `Mutex` lacks, is what makes push and
    // pop wait.)
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private var closed = false
    public let capacity: Int

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    public func push(_ item: Element) {
        condition.lock()
        while items.count - head >= capacity && !closed { condition.wait() }
        items.append(item)
        condition.broadcast()
        condition.unlock()
    }

    public func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !closed { condition.wait() }
        guard head < items.count else { return nil }
        let item = items[head]
        head += 1
        if head > 1024 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }

    /// No more pushes; poppers drain what is left, then get nil.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
