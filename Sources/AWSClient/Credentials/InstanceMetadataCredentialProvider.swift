import Foundation

/// The EC2 instance profile's role credentials: `iam/security-credentials/` names the role, then
/// `iam/security-credentials/ROLE` gives the keys (the ECS JSON shape, with `Expiration`).
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    public let client: InstanceMetadataClient
    /// When IMDS is only the last resort (nothing else configured), a failure reads as "no credentials found".
    let lastResort: AWSConfigError?

    public init(client: InstanceMetadataClient, lastResort: AWSConfigError? = nil) {
        self.client = client
        self.lastResort = lastResort
    }

    public var source: String { client.source }

    public func fetch() throws -> AWSCredentials {
        do {
            let base = "/latest/meta-data/iam/security-credentials/"
            let roles = String(decoding: try client.get(base), as: UTF8.self)
            guard let role = roles.split(whereSeparator: \.isNewline).first.map({ $0.trimmingCharacters(in: .whitespaces) }), !role.isEmpty else {
                throw AWSConfigError.credentialsUnavailable(source: source, reason: "the instance has no IAM role")
            }
            let response = try MetadataHTTP.send(.init(method: "GET", url: client.endpoint + base + role, headers: [
                .init("X-aws-ec2-metadata-token", try client.sessionToken()),
            ]), timeout: client.timeout, source: source)
            return try MetadataHTTP.credentials(from: response, source: source)
        } catch let error as AWSConfigError {
            guard case let .missingCredentials(profile, credentialsFile, configFile, _)? = lastResort,
                  case let .credentialsUnavailable(_, reason) = error else { throw error }
            throw AWSConfigError.missingCredentials(profile: profile, credentialsFile: credentialsFile, configFile: configFile,
                                                    detail: "\(source): \(reason)")
        }
    }
}
