import CurlHTTP
import Foundation

/// One plain HTTP exchange with a credential endpoint (container, IMDS): no signing, short timeouts, its own
/// client (a fetch can run while a transport's client is mid-batch, and a client must not be re-entered).
enum MetadataHTTP {
    /// The response, whatever its status; a transport failure throws `credentialsUnavailable` naming `source`.
    static func send(_ request: HTTPRequest, timeout: Double, source: String) throws -> HTTPResponse {
        let client = try HTTPClient(configuration: .init(connectTimeout: timeout, timeout: timeout * 2, maxCachedConnections: 1))
        switch try client.send(request) {
        case let .success(response): return response
        case let .failure(error): throw AWSConfigError.credentialsUnavailable(source: source, reason: error.description)
        }
    }

    /// A JSON object answer with `AccessKeyId`, `SecretAccessKey`, `Token` and `Expiration` (ECS and IMDS speak the
    /// same shape).
    static func credentials(from response: HTTPResponse, source: String) throws -> AWSCredentials {
        guard (200..<300).contains(response.status) else {
            let body = String(decoding: response.body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw AWSConfigError.credentialsUnavailable(source: source, reason: "HTTP \(response.status)\(body.isEmpty ? "" : " \(body)")")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw AWSConfigError.credentialsUnavailable(source: source, reason: "the answer is not a JSON object")
        }
        func field(_ name: String) throws -> String {
            guard let value = object[name] as? String, !value.isEmpty else {
                throw AWSConfigError.credentialsUnavailable(source: source, reason: "the answer has no \(name)")
            }
            return value
        }
        let credentials = AWSCredentials(accessKeyId: try field("AccessKeyId"), secretAccessKey: try field("SecretAccessKey"),
                                         sessionToken: (object["Token"] as? String).flatMap { $0.isEmpty ? nil : $0 },
                                         expiration: (object["Expiration"] as? String).flatMap(CredentialDates.parse))
        Redaction.register(credentials)
        return credentials
    }
}
