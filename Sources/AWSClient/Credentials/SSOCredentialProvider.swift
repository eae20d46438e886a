import CurlHTTP
import Foundation

/// An IAM Identity Center (SSO) profile: reads the token `aws sso login` cached under `~/.aws/sso/cache/` and
/// exchanges it at the SSO portal (`GetRoleCredentials`) for the account and role the profile names.
///
/// The cache file is `SHA1(name).json` in lowercase hex, where `name` is the `sso_session` name, or the
/// `sso_start_url` for a legacy profile, as the AWS CLI and SDKs name it. A missing, unreadable or expired token,
/// or a portal that rejects it, ends in "run aws sso login --profile P"; this tool never refreshes the token itself.
public struct SSOCredentialProvider: CredentialProvider {
    public let profile: String
    public let startURL: String
    public let sessionName: String?
    public let accountId: String
    public let roleName: String
    public let cacheDirectory: String
    let transport: AWSTransport
    public let source: String

    init(profile: String, startURL: String, sessionName: String?, accountId: String, roleName: String, ssoRegion: String,
         cacheDirectory: String, portalEndpoint: String?) throws {
        self.profile = profile
        self.startURL = startURL
        self.sessionName = sessionName
        self.accountId = accountId
        self.roleName = roleName
        self.cacheDirectory = cacheDirectory
        source = "SSO profile \"\(profile)\" (account \(accountId), role \(roleName))"
        let config = AWSConfig(credentials: CredentialCache(AWSCredentials(accessKeyId: "", secretAccessKey: "")), region: ssoRegion,
                               customEndpoints: portalEndpoint.map { [.sso: $0] } ?? [:])
        transport = try AWSTransport(config: config, retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.2, maxDelay: 2))
    }

    /// The cache file for a session name or start URL.
    public static func cacheFile(directory: String, key: String) -> String {
        directory + "/" + Crypto.hex(Crypto.sha1(Array(key.utf8))) + ".json"
    }

    public var cacheFile: String { Self.cacheFile(directory: cacheDirectory, key: sessionName ?? startURL) }

    public func fetch() throws -> AWSCredentials {
        let token = try cachedToken()
        Redaction.register(token)
        let url = transport.config.endpoint(for: .sso) + "/federation/credentials?account_id=\(PercentEncoding.encode(accountId))&role_name=\(PercentEncoding.encode(roleName))"
        let call = AWSCall(service: .sso, operation: "GetRoleCredentials", resource: "account \(accountId) role \(roleName)",
                           request: HTTPRequest(method: "GET", url: url, headers: [HTTPHeader("x-amz-sso_bearer_token", token)]),
                           signed: false)
        let response: HTTPResponse
        do { response = try transport.execute(call) } catch let error as AWSError where error.httpStatus == 401 || error.code == "UnauthorizedException" {
            throw AWSConfigError.ssoLoginRequired(profile: profile, problem: "was rejected by the SSO portal (\(error.code ?? "HTTP 401"))")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let role = object["roleCredentials"] as? [String: Any],
              let id = role["accessKeyId"] as? String, let secret = role["secretAccessKey"] as? String else {
            throw AWSError(service: .sso, operation: "GetRoleCredentials", resource: call.resource, httpStatus: response.status,
                           code: "InvalidResponse", message: "no roleCredentials.accessKeyId and secretAccessKey in response", attempts: 1)
        }
        let expiration = (role["expiration"] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue / 1000) }
        let credentials = AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: role["sessionToken"] as? String,
                                         expiration: expiration)
        Redaction.register(credentials)
        return credentials
    }

    private func cachedToken() throws -> String {
        let path = cacheFile
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AWSConfigError.ssoLoginRequired(profile: profile, problem: "has no cached token (\(path))")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let token = object["accessToken"] as? String, !token.isEmpty else {
            throw AWSConfigError.ssoLoginRequired(profile: profile, problem: "has no accessToken in \(path)")
        }
        guard let expiresText = object["expiresAt"] as? String, let expires = CredentialDates.parse(expiresText) else {
            throw AWSConfigError.ssoLoginRequired(profile: profile, problem: "has no valid expiresAt in \(path)")
        }
        guard expires > Date() else {
            throw AWSConfigError.ssoLoginRequired(profile: profile, problem: "expired at \(CredentialDates.format(expires))")
        }
        return token
    }
}
