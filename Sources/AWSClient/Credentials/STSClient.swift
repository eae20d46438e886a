import CurlHTTP
import Foundation

/// The two STS operations the credential chain needs, over the query protocol (form POST, XML answer).
///
/// `AssumeRole` is signed with the source profile's credentials; `AssumeRoleWithWebIdentity` is unsigned (the web
/// identity token is the proof). The endpoint is `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL` / the profile's
/// `endpoint_url` when set, else the regional `https://sts.REGION.amazonaws.com`.
struct STSClient: Sendable {
    let transport: AWSTransport

    init(region: String, endpoint: String?, source: CredentialCache?) throws {
        let config = AWSConfig(credentials: source ?? CredentialCache(AWSCredentials(accessKeyId: "", secretAccessKey: "")),
                               region: region, customEndpoints: endpoint.map { [.sts: $0] } ?? [:])
        transport = try AWSTransport(config: config, retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.2, maxDelay: 2))
    }

    func assumeRole(roleArn: String, sessionName: String, externalId: String?, durationSeconds: Int?) throws -> AWSCredentials {
        var parameters = [("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", roleArn), ("RoleSessionName", sessionName)]
        if let externalId { parameters.append(("ExternalId", externalId)) }
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        return try call("AssumeRole", roleArn: roleArn, parameters: parameters, signed: true)
    }

    func assumeRoleWithWebIdentity(roleArn: String, sessionName: String, token: String, durationSeconds: Int?) throws -> AWSCredentials {
        Redaction.register(token)
        var parameters = [("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleArn),
                          ("RoleSessionName", sessionName), ("WebIdentityToken", token)]
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        return try call("AssumeRoleWithWebIdentity", roleArn: roleArn, parameters: parameters, signed: false)
    }

    private func call(_ operation: String, roleArn: String, parameters: [(String, String)], signed: Bool) throws -> AWSCredentials {
        let body = parameters.map { "\(PercentEncoding.encode($0.0))=\(PercentEncoding.encode($0.1))" }.joined(separator: "&")
        let request = HTTPRequest(method: "POST", url: transport.config.endpoint(for: .sts) + "/", headers: [
            HTTPHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ], body: Array(body.utf8))
        let call = AWSCall(service: .sts, operation: operation, resource: "role \(roleArn)", request: request, signed: signed)
        let response = try transport.execute(call)
        let text = String(decoding: response.body, as: UTF8.self)
        func field(_ name: String) throws -> String {
            guard let value = Self.element(name, in: text), !value.isEmpty else {
                throw AWSError(service: .sts, operation: operation, resource: call.resource, httpStatus: response.status,
                               code: "InvalidResponse", message: "no Credentials.\(name) in response", attempts: 1)
            }
            return value
        }
        let credentials = AWSCredentials(accessKeyId: try field("AccessKeyId"), secretAccessKey: try field("SecretAccessKey"),
                                         sessionToken: try field("SessionToken"),
                                         expiration: CredentialDates.parse(try field("Expiration")))
        Redaction.register(credentials)
        return credentials
    }

    static func element(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)>"),
              let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex) else { return nil }
        return XMLEntities.decode(String(text[open.upperBound..<close.lowerBound])).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
