import Foundation
import Synchronization

/// A loopback IAM Identity Center portal: `GET /federation/credentials?account_id=A&role_name=R` with header
/// `x-amz-sso_bearer_token` equal to `accessToken` returns role credentials (`ASIASSO…N`, expiration in epoch
/// milliseconds, as the portal sends it); any other token gets 401 `UnauthorizedException`.
public final class FakeSSOPortal: Sendable {
    public let accessToken: String
    public let accountId: String
    public let roleName: String
    private let issued = Mutex<[String]>([])
    private let log = Mutex<[String]>([])
    private let server = Mutex<StubHTTPServer?>(nil)

    public init(accessToken: String, accountId: String = "123456789012", roleName: String = "Analyst") throws {
        self.accessToken = accessToken
        self.accountId = accountId
        self.roleName = roleName
        let stub = try StubHTTPServer { [self] request in handle(request) }
        server.withLock { $0 = stub }
    }

    public var endpoint: String { server.withLock { $0!.endpoint } }
    public var issuedKeys: [String] { issued.withLock { $0 } }
    public var requests: [String] { log.withLock { $0 } }

    public func stop() { server.withLock { $0?.stop() } }

    public static func secret(for id: String) -> String { "sso-secret-" + id }
    public static func token(for id: String) -> String { "sso-session-for-" + id }

    private func handle(_ request: StubHTTPServer.Request) -> StubHTTPServer.Response {
        log.withLock { $0.append("\(request.method) \(request.target)") }
        guard request.method == "GET",
              request.target == "/federation/credentials?account_id=\(accountId)&role_name=\(roleName)" else {
            return .init(status: 404, body: Array(#"{"message":"not found"}"#.utf8))
        }
        guard request.headers["x-amz-sso_bearer_token"] == accessToken else {
            return .init(status: 401, headers: [("x-amzn-ErrorType", "UnauthorizedException")],
                         body: Array(#"{"message":"Session token not found or invalid"}"#.utf8))
        }
        let id = issued.withLock { list in
            let id = "ASIASSO" + String(format: "%013d", list.count + 1)
            list.append(id)
            return id
        }
        let object: [String: Any] = ["roleCredentials": [
            "accessKeyId": id, "secretAccessKey": Self.secret(for: id), "sessionToken": Self.token(for: id),
            "expiration": Int64((Date().timeIntervalSince1970 + 3600) * 1000),
        ]]
        return .init(status: 200, headers: [("Content-Type", "application/json")],
                     body: Array(try! JSONSerialization.data(withJSONObject: object)))
    }
}
