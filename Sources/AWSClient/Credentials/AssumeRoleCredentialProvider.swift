import Foundation

/// A profile's `role_arn`, assumed with STS `AssumeRole` using the credentials of its `source_profile` (which may
/// itself assume a role: chains) or of its `credential_source` (`Environment`, `Ec2InstanceMetadata`,
/// `EcsContainer`). Honours `external_id`, `duration_seconds` and `role_session_name`.
public struct AssumeRoleCredentialProvider: CredentialProvider {
    public let roleArn: String
    public let sessionName: String
    public let externalId: String?
    public let durationSeconds: Int?
    /// The source credentials, cached and refreshed on their own schedule.
    public let sourceCredentials: CredentialCache
    let sts: STSClient
    public let source: String

    init(roleArn: String, sessionName: String?, externalId: String?, durationSeconds: Int?,
         sourceCredentials: CredentialCache, sts: STSClient, source: String) {
        self.roleArn = roleArn
        self.sessionName = sessionName ?? "clickstream-\(Int(Date().timeIntervalSince1970 * 1000))"
        self.externalId = externalId
        self.durationSeconds = durationSeconds
        self.sourceCredentials = sourceCredentials
        self.sts = sts
        self.source = source
    }

    public func fetch() throws -> AWSCredentials {
        try sts.assumeRole(roleArn: roleArn, sessionName: sessionName, externalId: externalId, durationSeconds: durationSeconds)
    }
}
