import CurlHTTP
import Foundation

/// EC2 instance metadata, IMDSv2 only: a `PUT /latest/api/token` for a session token, then GETs that carry it.
///
/// Endpoint: `AWS_EC2_METADATA_SERVICE_ENDPOINT` (or the profile's `ec2_metadata_service_endpoint`), else
/// `http://[fd00:ec2::254]` when the endpoint mode (`AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` or
/// `ec2_metadata_service_endpoint_mode`) is `IPv6`, else `http://169.254.169.254`. One attempt with a 1 second
/// timeout per request, so a laptop without IMDS fails within a couple of seconds instead of hanging.
public struct InstanceMetadataClient: Sendable {
    public let endpoint: String
    public let timeout: Double

    public static let defaultEndpoint = "http://169.254.169.254"
    public static let ipv6Endpoint = "http://[fd00:ec2::254]"

    public init(endpoint: String, timeout: Double = 1) {
        self.endpoint = AWSConfig.trimSlash(endpoint)
        self.timeout = timeout
    }

    public init(environment env: (String) -> String?, profile: [String: String]) {
        let mode = env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") ?? profile["ec2_metadata_service_endpoint_mode"]
        let endpoint = env("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? profile["ec2_metadata_service_endpoint"]
            ?? (mode?.lowercased() == "ipv6" ? Self.ipv6Endpoint : Self.defaultEndpoint)
        self.init(endpoint: endpoint)
    }

    /// True when `AWS_EC2_METADATA_DISABLED` is `true`.
    public static func isDisabled(_ env: (String) -> String?) -> Bool {
        env("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true"
    }

    var source: String { "EC2 instance metadata at \(endpoint)" }

    /// The body of `GET path` (e.g. `/latest/meta-data/placement/region`) with a fresh session token.
    public func get(_ path: String) throws -> [UInt8] {
        let token = try sessionToken()
        let response = try MetadataHTTP.send(HTTPRequest(method: "GET", url: endpoint + path, headers: [
            HTTPHeader("X-aws-ec2-metadata-token", token),
        ]), timeout: timeout, source: source)
        guard response.status == 200 else {
            throw AWSConfigError.credentialsUnavailable(source: source, reason: "GET \(path) answered HTTP \(response.status)")
        }
        return response.body
    }

    func sessionToken() throws -> String {
        let response = try MetadataHTTP.send(HTTPRequest(method: "PUT", url: endpoint + "/latest/api/token", headers: [
            HTTPHeader("X-aws-ec2-metadata-token-ttl-seconds", "21600"),
        ]), timeout: timeout, source: source)
        guard response.status == 200, !response.body.isEmpty else {
            throw AWSConfigError.credentialsUnavailable(source: source, reason: "PUT /latest/api/token answered HTTP \(response.status) (IMDSv2 is required)")
        }
        let token = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        Redaction.register(token)
        return token
    }

    /// The instance's region, from `placement/region`.
    public func region() throws -> String {
        String(decoding: try get("/latest/meta-data/placement/region"), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
