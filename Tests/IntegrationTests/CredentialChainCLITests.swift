import AWSClient
import ClickstreamTestSupport
import Foundation
import Synchronization
import XCTest

/// The built binary replaying from S3 on moto with NO static keys in its environment, once per provider of the
/// default chain. A recording proxy in front of moto's S3 shows which access key signed each request, so each test
/// proves the provider's keys (not some fallback) reached the server; and no secret reaches stdout, stderr or the
/// database.
final class CredentialChainCLITests: XCTestCase {
    var dir: TemporaryDirectory!
    var bucket = ""
    let from = "2025-07-03T00:00:00Z", to = "2025-07-03T02:00:00Z"

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        let s3 = S3Client(transport: try motoTransport())
        bucket = uniqueName("creds")
        try s3.createBucket(bucket)
        let lines = (0..<40).map { eventLine("page_view", session: "s\($0 % 7)", at: day0 + Int64($0) * 60_000, page: "/p\($0 % 3)") }
        try s3.putObject(bucket: bucket, key: "events/year=2025/month=07/day=03/hour=00/part-0.json", body: Array((lines.joined(separator: "\n") + "\n").utf8))
    }

    /// A proxy to moto recording the access key of every request it forwards; `reject` may answer instead.
    func recordingProxy(reject: (@Sendable (String) -> StubHTTPServer.Response?)? = nil) throws -> (FaultInjectingProxy, LockedKeys) {
        let keys = LockedKeys()
        let proxy = try FaultInjectingProxy(upstream: MotoServer.shared.endpoint) { (request, _) -> StubHTTPServer.Response? in
            let auth = request.headers["authorization"] ?? ""
            let key = auth.range(of: "Credential=").map { String(auth[$0.upperBound...].prefix { $0 != "/" }) } ?? "unsigned"
            keys.append(key + (request.headers["x-amz-security-token"].map { " token=" + $0 } ?? ""))
            return reject?(key)
        }
        return (proxy, keys)
    }

    /// Environment with no keys (the test process's moto keys blanked), no shared files, S3 through `s3Endpoint`.
    func environment(s3Endpoint: String) -> [String: String] {
        ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
         "HOME": dir.path, "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
         "AWS_SHARED_CREDENTIALS_FILE": dir.url("credentials"), "AWS_CONFIG_FILE": dir.url("config"),
         "AWS_ENDPOINT_URL": MotoServer.shared.endpoint, "AWS_ENDPOINT_URL_S3": s3Endpoint,
         "AWS_EC2_METADATA_DISABLED": "true"]
    }

    /// Runs the replay; returns its result after checking it succeeded with all 40 page views, and that none of
    /// `secrets` is in its output or its database file.
    @discardableResult
    func replay(_ env: [String: String], secrets: [String], file: StaticString = #filePath, line: UInt = #line) throws -> ClickstreamBinary.Result {
        let db = dir.url("out-\(UUID().uuidString).sqlite")
        let result = try ClickstreamBinary.run(["replay", "s3://\(bucket)/events", "--from", from, "--to", to, "--db", db], environment: env)
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        XCTAssertEqual(try rows(db, "SELECT sum(view_count) FROM page_metrics"), [[.integer(40)]], file: file, line: line)
        let dbText = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: db))) ?? Data(), as: UTF8.self)
        for secret in secrets {
            XCTAssertFalse(result.stdout.contains(secret), "secret in stdout", file: file, line: line)
            XCTAssertFalse(result.stderr.contains(secret), "secret in stderr", file: file, line: line)
            XCTAssertFalse(dbText.contains(secret), "secret in the database", file: file, line: line)
        }
        return result
    }

    func testInstanceMetadata() throws {
        let imds = try FakeInstanceMetadata()
        defer { imds.stop() }
        let (proxy, keys) = try recordingProxy()
        defer { proxy.stop() }
        var env = environment(s3Endpoint: proxy.endpoint)
        env["AWS_EC2_METADATA_DISABLED"] = "false"
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.endpoint
        try replay(env, secrets: [FakeInstanceMetadata.secret(for: "ASIAIMDS000000000001"), imds.sessionToken])
        XCTAssertEqual(Set(keys.items), ["ASIAIMDS000000000001 token=" + FakeInstanceMetadata.token(for: "ASIAIMDS000000000001")])
    }

    /// A stream outliving its credentials: instance-metadata keys that live 4 s are refreshed ahead of expiry, and
    /// the stream keeps committing with the new ones (each request through the proxy carries a key IMDS issued).
    func testAStreamOutlivesItsCredentials() throws {
        let imds = try FakeInstanceMetadata(lifetime: 4)
        defer { imds.stop() }
        let kinesis = KinesisClient(transport: try motoTransport())
        let stream = uniqueName("rotating")
        try kinesis.createStream(stream, shardCount: 1)
        let (proxy, keys) = try recordingProxy()
        defer { proxy.stop() }
        var env = environment(s3Endpoint: proxy.endpoint)
        env["AWS_ENDPOINT_URL"] = proxy.endpoint
        env["AWS_EC2_METADATA_DISABLED"] = "false"
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.endpoint
        let db = dir.url("live.sqlite")
        let p = try ClickstreamBinary.start(["stream", "kinesis://\(stream)", "--start", "trim-horizon", "--db", db, "--status-interval", "0"],
                                            environment: env)
        func wait(for n: Int64) {
            let deadline = Date(timeIntervalSinceNow: 30)
            while storedEvents(db) < n && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        }
        for round in 0..<3 {
            let batch = (0..<10).map { i in eventLine(session: "r\(round)", at: day0 + Int64(round * 10 + i) * 1_000) }
            _ = try kinesis.putRecords(stream: stream, batch.map { KinesisPutRecordsEntry(data: Array($0.utf8), partitionKey: "k") })
            wait(for: Int64(10 * (round + 1)))
            if round < 2 { Thread.sleep(forTimeInterval: 4.5) }  // past the keys' expiry
        }
        let ending = p.stop()
        let stderr = ending.stderr
        XCTAssertEqual(ending.status, 0, stderr)
        XCTAssertEqual(storedEvents(db), 30, stderr)
        XCTAssertFalse(stderr.contains("ExpiredToken"), stderr)
        XCTAssertGreaterThanOrEqual(imds.issuedKeys.count, 3, "refreshed as the keys neared expiry: \(imds.issuedKeys)")
        let used = Set(keys.items.map { String($0.prefix(20)) })
        XCTAssertTrue(used.isSubset(of: Set(imds.issuedKeys)), "\(used)")
        XCTAssertGreaterThanOrEqual(used.count, 3, "requests were signed with the refreshed keys: \(used)")
        for id in imds.issuedKeys { XCTAssertFalse(stderr.contains(FakeInstanceMetadata.secret(for: id))) }
    }

    func testContainerCredentialsWithAuthorizationToken() throws {
        let container = try FakeContainerCredentials(authorization: "eks-pod-identity-\(UUID().uuidString)")
        defer { container.stop() }
        let (proxy, keys) = try recordingProxy()
        defer { proxy.stop() }
        var env = environment(s3Endpoint: proxy.endpoint)
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = container.fullURI
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = try dir.write("pod-token", container.authorization!)
        try replay(env, secrets: [FakeContainerCredentials.secret(for: "ASIACONT000000000001"), container.authorization!])
        XCTAssertEqual(Set(keys.items), ["ASIACONT000000000001 token=" + FakeContainerCredentials.token(for: "ASIACONT000000000001")])
    }

    func testWebIdentityThroughMotoSTS() throws {
        let (proxy, keys) = try recordingProxy()
        defer { proxy.stop() }
        var env = environment(s3Endpoint: proxy.endpoint)
        let token = "eyJraWQiOi.irsa-\(UUID().uuidString)"
        env["AWS_WEB_IDENTITY_TOKEN_FILE"] = try dir.write("irsa-token", token)
        env["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/replay"
        try replay(env, secrets: [token])
        XCTAssertEqual(Set(keys.items.map { String($0.prefix(4)) }), ["ASIA"])
        XCTAssertEqual(Set(keys.items).count, 1, "\(keys.items)")
        XCTAssertTrue(keys.items[0].contains(" token="), keys.items[0])
    }

    func testAssumeRoleProfileAndCredentialProcess() throws {
        let script = try dir.write("creds.sh", """
            #!/bin/sh
            echo '{"Version": 1, "AccessKeyId": "AKIAPROCESSKEY000001", "SecretAccessKey": "process-secret-value-1234"}'
            """)
        chmod(script, 0o755)
        try dir.write("config", """
            [profile source]
            credential_process = \(script)
            [profile backfill]
            role_arn = arn:aws:iam::123456789012:role/backfill
            source_profile = source
            role_session_name = cli-test
            """)
        let (proxy, keys) = try recordingProxy()
        defer { proxy.stop() }
        var env = environment(s3Endpoint: proxy.endpoint)
        env["AWS_PROFILE"] = "source"
        try replay(env, secrets: ["process-secret-value-1234"])
        XCTAssertEqual(Set(keys.items), ["AKIAPROCESSKEY000001"])

        let (proxy2, keys2) = try recordingProxy()
        defer { proxy2.stop() }
        env = environment(s3Endpoint: proxy2.endpoint)
        env["AWS_PROFILE"] = "backfill"
        try replay(env, secrets: ["process-secret-value-1234"])
        XCTAssertEqual(Set(keys2.items.map { String($0.prefix(4)) }), ["ASIA"], "\(keys2.items)")
    }

    func testSSOProfile() throws {
        let portal = try FakeSSOPortal(accessToken: "sso-bearer-\(UUID().uuidString)")
        defer { portal.stop() }
        try dir.write("config", """
            [profile sso]
            sso_session = corp
            sso_account_id = 123456789012
            sso_role_name = Analyst
            [sso-session corp]
            sso_start_url = https://example.awsapps.com/start
            sso_region = us-east-1
            """)
        let (proxy, keys) = try recordingProxy()
        defer { proxy.stop() }
        var env = environment(s3Endpoint: proxy.endpoint)
        env["AWS_PROFILE"] = "sso"
        env["AWS_ENDPOINT_URL_SSO"] = portal.endpoint
        // No cached token: a configuration error that says what to run.
        var result = try ClickstreamBinary.run(["replay", "s3://\(bucket)/events", "--from", from, "--to", to, "--db", dir.url("sso.sqlite")], environment: env)
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("run aws sso login --profile sso."), result.stderr)

        let cache = SSOCredentialProvider.cacheFile(directory: dir.url(".aws/sso/cache"), key: "corp")
        try dir.write(String(cache.dropFirst(dir.path.count + 1)),
                      #"{"accessToken": "\#(portal.accessToken)", "expiresAt": "\#(FakeCredentialJSON.iso8601(Date().addingTimeInterval(3600)))"}"#)
        result = try replay(env, secrets: [portal.accessToken, FakeSSOPortal.secret(for: "ASIASSO0000000000001")])
        XCTAssertEqual(Set(keys.items), ["ASIASSO0000000000001 token=" + FakeSSOPortal.token(for: "ASIASSO0000000000001")])
    }

    /// The keys expire mid-run (the server says so): the binary refreshes them once and the replay completes.
    func testExpiredTokenMidRunIsRefreshed() throws {
        let imds = try FakeInstanceMetadata()
        defer { imds.stop() }
        let (proxy, keys) = try recordingProxy { key in
            key == "ASIAIMDS000000000001"
                ? .init(status: 400, body: Array("<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>".utf8))
                : nil
        }
        defer { proxy.stop() }
        var env = environment(s3Endpoint: proxy.endpoint)
        env["AWS_EC2_METADATA_DISABLED"] = "false"
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.endpoint
        try replay(env, secrets: [FakeInstanceMetadata.secret(for: "ASIAIMDS000000000002")])
        XCTAssertEqual(imds.issuedKeys, ["ASIAIMDS000000000001", "ASIAIMDS000000000002"])
        XCTAssertEqual(keys.items.first.map { String($0.prefix(20)) }, "ASIAIMDS000000000001")
        XCTAssertEqual(Set(keys.items.dropFirst().map { String($0.prefix(20)) }), ["ASIAIMDS000000000002"])
    }
}

/// Access keys seen by a proxy's handler threads.
final class LockedKeys: Sendable {
    private let list = Mutex<[String]>([])
    var items: [String] { list.withLock { $0 } }
    func append(_ item: String) { list.withLock { $0.append(item) } }
}
