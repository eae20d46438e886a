import CurlHTTP
import Foundation

/// ECS tasks, AWS Batch on ECS and EKS Pod Identity: credentials served over HTTP by the container agent.
///
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is fetched from `http://169.254.170.2`; otherwise
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, which (as in the SDKs) must be https, or point at a loopback address or
/// the ECS/EKS link-local hosts — anything else is refused before a byte is sent, since the authorization token
/// would go with it. The `Authorization` header is the contents of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
/// (re-read on each fetch: EKS rotates it) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
public struct ContainerCredentialProvider: CredentialProvider {
    public let url: String
    public let tokenFile: String?
    public let token: String?
    public let source: String

    public static let ecsHost = "http://169.254.170.2"
    static let allowedHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "fd00:ec2::23"]

    public init(url: String, tokenFile: String?, token: String?) {
        self.url = url
        self.tokenFile = tokenFile
        self.token = token
        source = "the container credentials endpoint \(url)"
        Redaction.register(token)
    }

    /// The provider the environment configures, nil when neither URI variable is set.
    public static func fromEnvironment(_ env: (String) -> String?) throws -> ContainerCredentialProvider? {
        let tokenFile = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"), token = env("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        if let relative = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let path = relative.hasPrefix("/") ? relative : "/" + relative
            return ContainerCredentialProvider(url: ecsHost + path, tokenFile: tokenFile, token: token)
        }
        guard let full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI") else { return nil }
        guard isAllowed(full) else { throw AWSConfigError.invalidContainerURI(variable: "AWS_CONTAINER_CREDENTIALS_FULL_URI", value: full) }
        return ContainerCredentialProvider(url: full, tokenFile: tokenFile, token: token)
    }

    /// https anywhere; http only to loopback (127.0.0.0/8, ::1, localhost) or the ECS/EKS agent addresses.
    static func isAllowed(_ url: String) -> Bool {
        if url.lowercased().hasPrefix("https://") { return true }
        guard url.lowercased().hasPrefix("http://") else { return false }
        let parts = HTTPRequest(url: url).urlParts
        var host = parts.authority
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        if host.hasPrefix("[") {
            if let close = host.firstIndex(of: "]") { host = String(host[...close]) }
        } else if let colon = host.lastIndex(of: ":") {
            host = String(host[..<colon])
        }
        host = host.lowercased()
        if host == "localhost" || host == "[::1]" || allowedHosts.contains(host) { return true }
        let octets = host.split(separator: ".")
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    public func fetch() throws -> AWSCredentials {
        var headers = [HTTPHeader("Accept", "application/json")]
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw AWSConfigError.credentialsUnavailable(source: source, reason: "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(tokenFile)")
            }
            let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            Redaction.register(value)
            headers.append(HTTPHeader("Authorization", value))
        } else if let token {
            headers.append(HTTPHeader("Authorization", token))
        }
        let response = try MetadataHTTP.send(HTTPRequest(method: "GET", url: url, headers: headers), timeout: 2, source: source)
        return try MetadataHTTP.credentials(from: response, source: source)
    }
}
