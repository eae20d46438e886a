import Foundation

/// One place credentials come from (environment, a profile's role, the container endpoint, IMDS, ...).
///
/// `fetch` may do I/O and is called only by `CredentialCache`, which decides when: lazily on first use, again some
/// minutes before expiry, and once more when AWS answers that the token expired. Errors are `AWSConfigError`
/// (a setting to fix, or an endpoint that did not give credentials) or `AWSError` (STS or the SSO portal refused);
/// neither ever carries a secret.
public protocol CredentialProvider: Sendable {
    /// Where the credentials come from, for messages: `environment variables`, `profile "dev" (role_arn ...)`.
    var source: String { get }
    /// Fresh credentials. Implementations register every secret they return with `Redaction`.
    func fetch() throws -> AWSCredentials
}
