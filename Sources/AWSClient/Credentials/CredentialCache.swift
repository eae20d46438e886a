import Foundation
import Synchronization

/// The credentials every signer reads, per request. Fetched lazily on first use, kept until shortly before they
/// expire, then refreshed; one refresh at a time (other threads wait for it rather than fetch again).
///
/// Refresh window: 5 minutes before `expiration`, as the SDKs do, or half the credentials' lifetime when they were
/// issued for less than 10 minutes (so short-lived keys are not refetched on every request). A refresh that fails
/// while the old credentials are still valid keeps the old ones (the next use tries again); once they have
/// expired, the failure is thrown. `invalidate()` forces the next use to fetch (AWS said `ExpiredToken`).
public final class CredentialCache: Sendable {
    public let provider: any CredentialProvider
    public var source: String { provider.source }

    private struct Entry {
        var credentials: AWSCredentials
        var refreshAt: Date?
    }

    private let entry = Mutex<Entry?>(nil)
    /// Held while fetching, so that only one thread fetches; `entry` is never held across I/O.
    private let fetching = Mutex<Void>(())
    private let now: @Sendable () -> Date

    public init(_ provider: any CredentialProvider, now: @escaping @Sendable () -> Date = { Date() }) {
        self.provider = provider
        self.now = now
    }

    public convenience init(_ credentials: AWSCredentials) {
        self.init(StaticCredentialProvider(credentials, source: "static credentials"))
    }

    /// True when the provider's credentials can change (anything but static keys): only then is an
    /// `ExpiredToken` answer worth a refresh and retry.
    public var isRefreshable: Bool { !(provider is StaticCredentialProvider) }

    /// Credentials to sign with now.
    public func current() throws -> AWSCredentials {
        if let fresh = usable() { return fresh }
        return try fetching.withLock { _ throws -> AWSCredentials in
            if let fresh = usable() { return fresh }
            let old = entry.withLock { $0 }
            do {
                let credentials = try provider.fetch()
                let fetchedAt = now()
                var refreshAt: Date? = nil
                if let expiration = credentials.expiration {
                    let lifetime = expiration.timeIntervalSince(fetchedAt)
                    refreshAt = expiration.addingTimeInterval(-min(300, max(0, lifetime / 2)))
                }
                entry.withLock { $0 = Entry(credentials: credentials, refreshAt: refreshAt) }
                return credentials
            } catch {
                if let old, let expiration = old.credentials.expiration, expiration > now() { return old.credentials }
                throw error
            }
        }
    }

    /// Forgets the cached credentials; the next `current()` fetches.
    public func invalidate() {
        entry.withLock { $0 = nil }
    }

    private func usable() -> AWSCredentials? {
        entry.withLock { entry in
            guard let entry else { return nil }
            if let refreshAt = entry.refreshAt, now() >= refreshAt { return nil }
            return entry.credentials
        }
    }
}
