import Foundation
import Synchronization

/// The SDKs' retry token bucket: each retry spends tokens (5, or 10 after a timeout or lost connection), each
/// success returns what its retries spent (or 1 token when it needed none), up to `capacity` (500). When the bucket
/// cannot pay for a retry, the call fails at once with its last error: an endpoint that fails everything stops
/// being hammered by every call's full set of attempts, while occasional failures keep their retries.
public final class RetryQuota: Sendable {
    public let capacity: Int
    public static let retryCost = 5
    public static let timeoutCost = 10
    private let tokens: Mutex<Int>

    public init(capacity: Int = 500) {
        self.capacity = capacity
        tokens = Mutex(capacity)
    }

    /// Tokens left.
    public var available: Int { tokens.withLock { $0 } }

    /// Takes `cost` tokens if there are that many; false when the quota is spent.
    func acquire(_ cost: Int) -> Bool {
        tokens.withLock { t in
            guard t >= cost else { return false }
            t -= cost
            return true
        }
    }

    /// A call succeeded after spending `spent` tokens on retries.
    func succeeded(spent: Int) {
        tokens.withLock { $0 = min(capacity, $0 + (spent > 0 ? spent : 1)) }
    }
}
