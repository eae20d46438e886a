import Foundation
import Synchronization

/// A loopback EC2 instance metadata service, IMDSv2 only: `PUT /latest/api/token` (with the TTL header) returns a
/// session token; GETs without that token get 401, as on EC2. Serves the region, one role's name, and that role's
/// credentials, a new set per request (`ASIAIMDS…N`), expiring `lifetime` seconds after issue.
public final class FakeInstanceMetadata: Sendable {
    public let role: String
    public let region: String
    public let lifetime: TimeInterval
    public let sessionToken = "imds-session-token-\(UUID().uuidString)"
    private let issued = Mutex<[String]>([])
    private let log = Mutex<[String]>([])
    private let server = Mutex<StubHTTPServer?>(nil)

    public init(role: String = "clickstream-instance-role", region: String = "us-east-1", lifetime: TimeInterval = 6 * 3600) throws {
        self.role = role
        self.region = region
        self.lifetime = lifetime
        let stub = try StubHTTPServer { [self] request in handle(request) }
        server.withLock { $0 = stub }
    }

    public var endpoint: String { server.withLock { $0!.endpoint } }
    /// Access key ids handed out, in order.
    public var issuedKeys: [String] { issued.withLock { $0 } }
    /// `METHOD path` of every request, in order.
    public var requests: [String] { log.withLock { $0 } }

    public func stop() { server.withLock { $0?.stop() } }

    /// The secret key issued with access key `id`.
    public static func secret(for id: String) -> String { "imds-secret-" + id }
    public static func token(for id: String) -> String { "imds-token-for-" + id }

    private func handle(_ request: StubHTTPServer.Request) -> StubHTTPServer.Response {
        log.withLock { $0.append("\(request.method) \(request.target)") }
        if request.target == "/latest/api/token" {
            guard request.method == "PUT", request.headers["x-aws-ec2-metadata-token-ttl-seconds"] != nil else {
                return .init(status: 400)
            }
            return .init(status: 200, body: Array(sessionToken.utf8))
        }
        guard request.headers["x-aws-ec2-metadata-token"] == sessionToken else { return .init(status: 401) }
        switch request.target {
        case "/latest/meta-data/placement/region":
            return .init(status: 200, body: Array(region.utf8))
        case "/latest/meta-data/iam/security-credentials/":
            return .init(status: 200, body: Array(role.utf8))
        case "/latest/meta-data/iam/security-credentials/\(role)":
            let id = issued.withLock { list in
                let id = "ASIAIMDS" + String(format: "%012d", list.count + 1)
                list.append(id)
                return id
            }
            return .init(status: 200, headers: [("Content-Type", "application/json")],
                         body: FakeCredentialJSON.ecsShape(id: id, secret: Self.secret(for: id), token: Self.token(for: id),
                                                           expiration: Date().addingTimeInterval(lifetime)))
        default:
            return .init(status: 404)
        }
    }
}
