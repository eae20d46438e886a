import Foundation

/// EKS IRSA and other OIDC federation: reads the token file (on every fetch, since the kubelet rotates it) and
/// exchanges it with STS `AssumeRoleWithWebIdentity`. Configured by `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`
/// (+ `AWS_ROLE_SESSION_NAME`), or a profile's `web_identity_token_file` + `role_arn` (+ `role_session_name`).
public struct WebIdentityCredentialProvider: CredentialProvider {
    public let tokenFile: String
    public let roleArn: String
    public let sessionName: String
    public let durationSeconds: Int?
    let sts: STSClient
    public let source: String

    init(tokenFile: String, roleArn: String, sessionName: String?, durationSeconds: Int? = nil, sts: STSClient, source: String) {
        self.tokenFile = tokenFile
        self.roleArn = roleArn
        self.sessionName = sessionName ?? "clickstream-\(Int(Date().timeIntervalSince1970 * 1000))"
        self.durationSeconds = durationSeconds
        self.sts = sts
        self.source = source
    }

    public func fetch() throws -> AWSCredentials {
        guard let data = FileManager.default.contents(atPath: tokenFile) else {
            throw AWSConfigError.credentialsUnavailable(source: source, reason: "cannot read the web identity token file \(tokenFile)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw AWSConfigError.credentialsUnavailable(source: source, reason: "the web identity token file \(tokenFile) is empty")
        }
        return try sts.assumeRoleWithWebIdentity(roleArn: roleArn, sessionName: sessionName, token: token, durationSeconds: durationSeconds)
    }
}
