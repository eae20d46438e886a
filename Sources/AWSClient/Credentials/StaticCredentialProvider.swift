import Foundation

/// Long-term (or externally managed temporary) keys from the environment or a profile: fetched once, never refreshed.
public struct StaticCredentialProvider: CredentialProvider {
    public let credentials: AWSCredentials
    public let source: String

    public init(_ credentials: AWSCredentials, source: String) {
        self.credentials = credentials
        self.source = source
        Redaction.register(credentials)
    }

    public func fetch() throws -> AWSCredentials { credentials }
}
