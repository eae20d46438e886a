import Foundation
import Synchronization

/// A loopback container credentials endpoint (the ECS agent / EKS Pod Identity agent): `GET path` with the expected
/// `Authorization` value (when one is required) returns a new credential set per request (`ASIACONT…N`); a wrong or
/// missing authorization gets 401.
public final class FakeContainerCredentials: Sendable {
    public let path: String
    public let authorization: String?
    public let lifetime: TimeInterval
    private let issued = Mutex<[String]>([])
    private let seenAuthorizations = Mutex<[String?]>([])
    private let server = Mutex<StubHTTPServer?>(nil)

    public init(path: String = "/v2/credentials/\(UUID().uuidString)", authorization: String? = nil, lifetime: TimeInterval = 6 * 3600) throws {
        self.path = path
        self.authorization = authorization
        self.lifetime = lifetime
        let stub = try StubHTTPServer { [self] request in handle(request) }
        server.withLock { $0 = stub }
    }

    public var endpoint: String { server.withLock { $0!.endpoint } }
    /// The full URI to put in `AWS_CONTAINER_CREDENTIALS_FULL_URI`.
    public var fullURI: String { endpoint + path }
    public var issuedKeys: [String] { issued.withLock { $0 } }
    /// The `Authorization` header of every request (nil when absent).
    public var authorizations: [String?] { seenAuthorizations.withLock { $0 } }

    public func stop() { server.withLock { $0?.stop() } }

    public static func secret(for id: String) -> String { "container-secret-" + id }
    public static func token(for id: String) -> String { "container-token-for-" + id }

    private func handle(_ request: StubHTTPServer.Request) -> StubHTTPServer.Response {
        seenAuthorizations.withLock { $0.append(request.headers["authorization"]) }
        guard request.method == "GET", request.target == path else { return .init(status: 404) }
        if let authorization, request.headers["authorization"] != authorization {
            return .init(status: 401, body: Array(#"{"message":"unauthorized"}"#.utf8))
        }
        let id = issued.withLock { list in
            let id = "ASIACONT" + String(format: "%012d", list.count + 1)
            list.append(id)
            return id
        }
        return .init(status: 200, headers: [("Content-Type", "application/json")],
                     body: FakeCredentialJSON.ecsShape(id: id, secret: Self.secret(for: id), token: Self.token(for: id),
                                                       expiration: Date().addingTimeInterval(lifetime)))
    }
}
