import CurlHTTP
@testable import AWSClient
import ClickstreamTestSupport
import Foundation
import XCTest

/// Each provider of the default chain against a real counterpart on 127.0.0.1: moto's STS for AssumeRole and
/// AssumeRoleWithWebIdentity, the loopback fakes for IMDS, container credentials and the SSO portal.
final class CredentialProviderTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    /// No keys, no files, no IMDS: only what a test adds.
    func baseEnvironment() -> [String: String] {
        ["HOME": dir.path, "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
         "AWS_SHARED_CREDENTIALS_FILE": dir.url("credentials"), "AWS_CONFIG_FILE": dir.url("config")]
    }

    func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    /// A proxy in front of moto that records each request's Authorization credential (access key id) and body.
    func recordingProxy() throws -> (StubHTTPServer, LockedList) {
        let forwarder = try HTTPClient()
        let seen = LockedList()
        let moto = MotoServer.shared.endpoint
        let server = try StubHTTPServer { request in
            let auth = request.headers["authorization"] ?? "unsigned"
            let key = auth.range(of: "Credential=").map { String(auth[$0.upperBound...].prefix { $0 != "/" }) } ?? "unsigned"
            _ = seen.append(key + " " + String(decoding: request.body, as: UTF8.self))
            let headers = request.headers.filter { !["host", "content-length", "connection"].contains($0.key) }.map { HTTPHeader($0.key, $0.value) }
            guard let response = try? forwarder.send(HTTPRequest(method: request.method, url: moto + request.target, headers: headers, body: request.body)).get() else {
                return .init(status: 502)
            }
            return .init(status: response.status, headers: response.headers.filter { $0.key != "content-length" && $0.key != "transfer-encoding" }.map { ($0.key, $0.value) },
                         body: response.body)
        }
        return (server, seen)
    }

    // MARK: web identity

    func testWebIdentityFromEnvironmentCallsAssumeRoleWithWebIdentityUnsigned() throws {
        let (proxy, seen) = try recordingProxy()
        defer { proxy.stop() }
        let tokenFile = try dir.write("token", "eyJhbGciOi.web-identity-token.signature\n")
        var env = baseEnvironment()
        env["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile
        env["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/irsa"
        env["AWS_ROLE_SESSION_NAME"] = "pod-session"
        env["AWS_ENDPOINT_URL_STS"] = proxy.endpoint
        let config = try AWSConfig.resolve(environment: env)
        XCTAssertEqual(config.credentials.source, "web identity (AWS_WEB_IDENTITY_TOKEN_FILE, role arn:aws:iam::123456789012:role/irsa)")
        let credentials = try config.credentials.current()
        XCTAssertTrue(credentials.accessKeyId.hasPrefix("ASIA"), credentials.accessKeyId)
        XCTAssertNotNil(credentials.sessionToken)
        XCTAssertGreaterThan(credentials.expiration ?? .distantPast, Date())
        XCTAssertEqual(seen.items.count, 1)
        XCTAssertTrue(seen.items[0].hasPrefix("unsigned Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Firsa&RoleSessionName=pod-session&WebIdentityToken=eyJhbGciOi.web-identity-token.signature"), seen.items[0])
        // Cached: a second use asks STS nothing.
        XCTAssertEqual(try config.credentials.current(), credentials)
        XCTAssertEqual(seen.items.count, 1)
    }

    func testWebIdentityFromProfileAndAMissingTokenFile() throws {
        try dir.write("config", """
            [profile irsa]
            role_arn = arn:aws:iam::123456789012:role/from-profile
            web_identity_token_file = \(dir.url("missing-token"))
            """)
        var env = baseEnvironment()
        env["AWS_PROFILE"] = "irsa"
        env["AWS_ENDPOINT_URL_STS"] = MotoServer.shared.endpoint
        let config = try AWSConfig.resolve(environment: env)
        XCTAssertEqual(config.credentials.source, "profile \"irsa\" (web_identity_token_file, role arn:aws:iam::123456789012:role/from-profile)")
        XCTAssertEqual(message { try config.credentials.current() },
                       "Could not get AWS credentials from profile \"irsa\" (web_identity_token_file, role arn:aws:iam::123456789012:role/from-profile): cannot read the web identity token file \(dir.url("missing-token")).")
        try dir.write("missing-token", "token-from-file")
        XCTAssertTrue(try config.credentials.current().accessKeyId.hasPrefix("ASIA"))
    }

    // MARK: assume role

    func testRoleChainWithExternalIdDurationAndSessionName() throws {
        let (proxy, seen) = try recordingProxy()
        defer { proxy.stop() }
        try dir.write("credentials", """
            [base]
            aws_access_key_id = AKIDBASEPROFILE00001
            aws_secret_access_key = base-secret
            """)
        try dir.write("config", """
            [profile middle]
            role_arn = arn:aws:iam::123456789012:role/middle
            source_profile = base
            [profile analytics]
            role_arn = arn:aws:iam::210987654321:role/analytics
            source_profile = middle
            external_id = ext-42
            duration_seconds = 1800
            role_session_name = nightly-backfill
            """)
        var env = baseEnvironment()
        env["AWS_PROFILE"] = "analytics"
        env["AWS_ENDPOINT_URL_STS"] = proxy.endpoint
        let config = try AWSConfig.resolve(environment: env)
        XCTAssertEqual(config.credentials.source, "profile \"analytics\" (role arn:aws:iam::210987654321:role/analytics via source_profile middle)")
        let credentials = try config.credentials.current()
        XCTAssertTrue(credentials.accessKeyId.hasPrefix("ASIA"))
        let expiresIn = credentials.expiration!.timeIntervalSinceNow
        XCTAssertTrue(expiresIn > 1700 && expiresIn <= 1800, "\(expiresIn)")
        XCTAssertEqual(seen.items.count, 2)
        // The base keys assume `middle`; `middle`'s temporary keys assume `analytics`.
        XCTAssertTrue(seen.items[0].hasPrefix("AKIDBASEPROFILE00001 Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fmiddle&RoleSessionName=clickstream-"), seen.items[0])
        XCTAssertTrue(seen.items[1].hasPrefix("ASIA"), seen.items[1])
        XCTAssertTrue(seen.items[1].hasSuffix("RoleArn=arn%3Aaws%3Aiam%3A%3A210987654321%3Arole%2Fanalytics&RoleSessionName=nightly-backfill&ExternalId=ext-42&DurationSeconds=1800"), seen.items[1])
    }

    func testRoleProfileErrors() throws {
        try dir.write("config", """
            [profile loop-a]
            role_arn = arn:aws:iam::1:role/a
            source_profile = loop-b
            [profile loop-b]
            role_arn = arn:aws:iam::1:role/b
            source_profile = loop-a
            [profile nosource]
            role_arn = arn:aws:iam::1:role/c
            [profile badsource]
            role_arn = arn:aws:iam::1:role/d
            credential_source = Laptop
            [profile envsource]
            role_arn = arn:aws:iam::1:role/e
            credential_source = Environment
            """)
        func resolve(_ profile: String) -> String {
            var env = baseEnvironment()
            env["AWS_PROFILE"] = profile
            return message { try AWSConfig.resolve(environment: env) }
        }
        let file = dir.url("config")
        XCTAssertEqual(resolve("loop-a"), "Profile \"loop-b\" in \(file) has source_profile = loop-a, which leads back to itself (loop-a -> loop-b -> loop-a).")
        XCTAssertEqual(resolve("nosource"), "Profile \"nosource\" in \(file) has role_arn but no source_profile, credential_source or web_identity_token_file: add one to say whose credentials assume the role.")
        XCTAssertEqual(resolve("badsource"), "Profile \"badsource\" in \(file) has credential_source = Laptop: use Environment, Ec2InstanceMetadata or EcsContainer.")
        XCTAssertEqual(resolve("envsource"), "Profile \"envsource\" in \(file) has credential_source = Environment but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set.")
    }

    // MARK: credential_process

    func testCredentialProcessVersion1WithExpiration() throws {
        let expiration = FakeCredentialJSON.iso8601(Date().addingTimeInterval(3600))
        let script = try dir.write("creds.sh", """
            #!/bin/sh
            echo '{"Version": 1, "AccessKeyId": "ASIAPROCESS000000001", "SecretAccessKey": "process-secret", "SessionToken": "process-token", "Expiration": "\(expiration)"}'
            """)
        chmod(script, 0o755)
        let failing = try dir.write("fail.sh", "#!/bin/sh\necho 'token expired for ASIAPROCESS000000001, run login' >&2\nexit 3\n")
        chmod(failing, 0o755)
        try dir.write("config", "[default]\ncredential_process = \(script)\n[profile broken]\ncredential_process = \(failing) --flag\n")
        let config = try AWSConfig.resolve(environment: baseEnvironment())
        XCTAssertEqual(config.credentials.source, "profile \"default\" (credential_process)")
        XCTAssertEqual(try config.credentials.current(),
                       AWSCredentials(accessKeyId: "ASIAPROCESS000000001", secretAccessKey: "process-secret", sessionToken: "process-token",
                                      expiration: CredentialDates.parse(expiration)))
        var env = baseEnvironment()
        env["AWS_PROFILE"] = "broken"
        let broken = try AWSConfig.resolve(environment: env)
        XCTAssertEqual(message { try broken.credentials.current() },
                       "Could not get AWS credentials from profile \"broken\" (credential_process): the command exited with status 3: token expired for <redacted>, run login.")
    }

    func testACredentialProcessThatNeverAnswersIsStopped() throws {
        let started = Date()
        let provider = ProcessCredentialProvider(command: "sleep 30", source: "profile \"mfa\" (credential_process)", timeout: 1)
        XCTAssertThrowsError(try provider.fetch()) { error in
            XCTAssertEqual("\(error)", "Could not get AWS credentials from profile \"mfa\" (credential_process): the command gave no answer within 1 s and was stopped.")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    // MARK: SSO

    func writeSSOToken(key: String, token: String, expiresAt: Date) throws {
        let path = SSOCredentialProvider.cacheFile(directory: dir.url(".aws/sso/cache"), key: key)
        try FileManager.default.createDirectory(atPath: dir.url(".aws/sso/cache"), withIntermediateDirectories: true)
        try #"{"startUrl": "https://example.awsapps.com/start", "region": "us-east-1", "accessToken": "\#(token)", "expiresAt": "\#(FakeCredentialJSON.iso8601(expiresAt))"}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
    }

    func testSSOSessionProfileReadsTheCachedTokenAndCallsThePortal() throws {
        let portal = try FakeSSOPortal(accessToken: "sso-access-token-\(UUID().uuidString)")
        defer { portal.stop() }
        try dir.write("config", """
            [profile dev]
            sso_session = corp
            sso_account_id = 123456789012
            sso_role_name = Analyst
            region = eu-west-1
            [sso-session corp]
            sso_start_url = https://example.awsapps.com/start
            sso_region = us-east-1
            [profile legacy]
            sso_start_url = https://legacy.awsapps.com/start
            sso_region = us-east-1
            sso_account_id = 123456789012
            sso_role_name = Analyst
            """)
        var env = baseEnvironment()
        env["AWS_PROFILE"] = "dev"
        env["AWS_ENDPOINT_URL_SSO"] = portal.endpoint
        env["AWS_REGION"] = nil
        let config = try AWSConfig.resolve(environment: env)
        XCTAssertEqual(config.region, "eu-west-1")
        XCTAssertEqual(message { try config.credentials.current() },
                       "The SSO login for profile \"dev\" has no cached token (\(SSOCredentialProvider.cacheFile(directory: dir.url(".aws/sso/cache"), key: "corp"))): run aws sso login --profile dev.")
        // The CLI keys the cache by the session name: SHA-1 of "corp".
        XCTAssertEqual(SSOCredentialProvider.cacheFile(directory: "/c", key: "corp"), "/c/" + Crypto.hex(Crypto.sha1(Array("corp".utf8))) + ".json")
        XCTAssertEqual(Crypto.hex(Crypto.sha1(Array("abc".utf8))), "a9993e364706816aba3e25717850c26c9cd0d89d")

        try writeSSOToken(key: "corp", token: "expired-token", expiresAt: Date().addingTimeInterval(-60))
        XCTAssertTrue(message { try config.credentials.current() }.hasPrefix("The SSO login for profile \"dev\" expired at "))
        try writeSSOToken(key: "corp", token: "revoked-token", expiresAt: Date().addingTimeInterval(3600))
        XCTAssertEqual(message { try config.credentials.current() },
                       "The SSO login for profile \"dev\" was rejected by the SSO portal (UnauthorizedException): run aws sso login --profile dev.")
        try writeSSOToken(key: "corp", token: portal.accessToken, expiresAt: Date().addingTimeInterval(3600))
        let credentials = try config.credentials.current()
        XCTAssertEqual(credentials.accessKeyId, portal.issuedKeys.last)
        XCTAssertEqual(credentials.secretAccessKey, FakeSSOPortal.secret(for: credentials.accessKeyId))
        XCTAssertEqual(credentials.sessionToken, FakeSSOPortal.token(for: credentials.accessKeyId))
        XCTAssertEqual(credentials.expiration!.timeIntervalSinceNow, 3600, accuracy: 30)

        // Legacy profile: keyed by the start URL.
        env["AWS_PROFILE"] = "legacy"
        env["AWS_REGION"] = "us-east-1"
        try writeSSOToken(key: "https://legacy.awsapps.com/start", token: portal.accessToken, expiresAt: Date().addingTimeInterval(3600))
        XCTAssertTrue(try AWSConfig.resolve(environment: env).credentials.current().accessKeyId.hasPrefix("ASIASSO"))
    }

    // MARK: container

    func testContainerFullURIWithTokenFileAndTheAllowedHosts() throws {
        let fake = try FakeContainerCredentials(authorization: "pod-identity-token-\(UUID().uuidString)")
        defer { fake.stop() }
        let tokenFile = try dir.write("eks-token", fake.authorization! + "\n")
        var env = baseEnvironment()
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = fake.fullURI
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = tokenFile
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "ignored-when-a-file-is-given"
        let config = try AWSConfig.resolve(environment: env)
        XCTAssertEqual(config.credentials.source, "the container credentials endpoint \(fake.fullURI)")
        let credentials = try config.credentials.current()
        XCTAssertEqual(credentials, AWSCredentials(accessKeyId: "ASIACONT000000000001", secretAccessKey: FakeContainerCredentials.secret(for: "ASIACONT000000000001"),
                                                   sessionToken: FakeContainerCredentials.token(for: "ASIACONT000000000001"), expiration: credentials.expiration))
        XCTAssertEqual(fake.authorizations, [fake.authorization])

        env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = nil
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "wrong"
        XCTAssertEqual(message { try AWSConfig.resolve(environment: env).credentials.current() },
                       "Could not get AWS credentials from the container credentials endpoint \(fake.fullURI): HTTP 401 {\"message\":\"unauthorized\"}.")

        for allowed in ["http://127.0.0.1:80/creds", "http://127.1.2.3/x", "http://localhost:9/x", "http://[::1]:8/x", "http://169.254.170.2/v2",
                        "http://169.254.170.23/v1/credentials", "http://[fd00:ec2::23]/v1/credentials", "https://creds.example.com/x"] {
            XCTAssertTrue(ContainerCredentialProvider.isAllowed(allowed), allowed)
        }
        for refused in ["http://10.0.0.1/creds", "http://169.254.169.254/latest", "http://127.0.0.1.evil.com/x", "ftp://127.0.0.1/x", "http://example.com/x"] {
            XCTAssertFalse(ContainerCredentialProvider.isAllowed(refused), refused)
        }
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://10.0.0.1/creds"
        XCTAssertEqual(message { try AWSConfig.resolve(environment: env) },
                       "AWS_CONTAINER_CREDENTIALS_FULL_URI is \"http://10.0.0.1/creds\": the SDKs only fetch container credentials over https, from a loopback address, or from 169.254.170.2 / 169.254.170.23 / fd00:ec2::23; use one of those.")
        // The relative URI (ECS, AWS Batch) always goes to the ECS agent address, and wins over the full URI.
        env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/abc"
        XCTAssertEqual(try AWSConfig.resolve(environment: env).credentials.source, "the container credentials endpoint http://169.254.170.2/v2/credentials/abc")
    }

    // MARK: IMDS

    func testInstanceMetadataV2CredentialsAndRegion() throws {
        let imds = try FakeInstanceMetadata(region: "eu-central-1")
        defer { imds.stop() }
        var env = baseEnvironment()
        env["AWS_EC2_METADATA_DISABLED"] = nil
        env["AWS_REGION"] = nil
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.endpoint + "/"
        let config = try AWSConfig.resolve(environment: env)
        XCTAssertEqual(config.region, "eu-central-1")
        XCTAssertEqual(config.credentials.source, "EC2 instance metadata at \(imds.endpoint)")
        let credentials = try config.credentials.current()
        XCTAssertEqual(credentials.accessKeyId, "ASIAIMDS000000000001")
        XCTAssertEqual(credentials.secretAccessKey, FakeInstanceMetadata.secret(for: "ASIAIMDS000000000001"))
        XCTAssertEqual(credentials.sessionToken, FakeInstanceMetadata.token(for: "ASIAIMDS000000000001"))
        // Every GET went with a session token from a PUT first: IMDSv1 is never used.
        XCTAssertEqual(imds.requests, [
            "PUT /latest/api/token", "GET /latest/meta-data/placement/region",
            "PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/",
            "PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/clickstream-instance-role",
        ])
        XCTAssertEqual(InstanceMetadataClient(environment: { ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"][$0] }, profile: [:]).endpoint,
                       "http://[fd00:ec2::254]")
        XCTAssertEqual(InstanceMetadataClient(environment: { _ in nil }, profile: [:]).endpoint, "http://169.254.169.254")
    }

    func testNoInstanceMetadataFailsFastAsNoCredentials() throws {
        var env = baseEnvironment()
        env["AWS_EC2_METADATA_DISABLED"] = nil
        let port = LoopbackPort.free()
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:\(port)"
        let config = try AWSConfig.resolve(environment: env)
        let started = Date()
        let text = message { try config.credentials.current() }
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
        XCTAssertTrue(text.hasPrefix("No AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add aws_access_key_id and aws_secret_access_key (or role_arn, credential_process, sso_session) to profile \"default\" in \(dir.url("credentials")) or \(dir.url("config")), or run where a container or instance role provides them (EC2 instance metadata at http://127.0.0.1:\(port): could not connect"), text)
        env["AWS_EC2_METADATA_DISABLED"] = "true"
        XCTAssertTrue(message { try AWSConfig.resolve(environment: env) }.hasSuffix("or run where a container or instance role provides them."))
    }

    // MARK: refresh

    func testCacheRefreshesAheadOfExpiryAndWhenInvalidated() throws {
        let imds = try FakeInstanceMetadata(lifetime: 2)
        defer { imds.stop() }
        let cache = CredentialCache(InstanceMetadataCredentialProvider(client: InstanceMetadataClient(endpoint: imds.endpoint)))
        XCTAssertEqual(try cache.current().accessKeyId, "ASIAIMDS000000000001")
        XCTAssertEqual(try cache.current().accessKeyId, "ASIAIMDS000000000001")
        // Issued for 2 s: refreshed after half its life.
        Thread.sleep(forTimeInterval: 1.2)
        XCTAssertEqual(try cache.current().accessKeyId, "ASIAIMDS000000000002")
        cache.invalidate()
        XCTAssertEqual(try cache.current().accessKeyId, "ASIAIMDS000000000003")
        // Many threads at once: one fetch.
        cache.invalidate()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in _ = try? cache.current() }
        XCTAssertEqual(imds.issuedKeys.count, 4)
    }

    func testExpiredTokenAnswerRefreshesOnceAndRetries() throws {
        let imds = try FakeInstanceMetadata()
        defer { imds.stop() }
        let rejected = LockedList()
        // An S3 endpoint that says the first key's token expired and accepts any later key.
        let s3 = try StubHTTPServer { request in
            let auth = request.headers["authorization"] ?? ""
            _ = rejected.append(auth.contains("ASIAIMDS000000000001") ? "1" : "later")
            if auth.contains("ASIAIMDS000000000001") {
                return .init(status: 400, body: Array("<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>".utf8))
            }
            return .init(status: 200, headers: [("ETag", "\"e\"")], body: Array("hello".utf8))
        }
        defer { s3.stop() }
        let config = AWSConfig(credentials: CredentialCache(InstanceMetadataCredentialProvider(client: InstanceMetadataClient(endpoint: imds.endpoint))),
                               region: "us-east-1", customEndpoints: [.s3: s3.endpoint])
        let client = S3Client(transport: try AWSTransport(config: config, retryPolicy: RetryPolicy(maxAttempts: 1)))
        XCTAssertEqual(try client.getObject(bucket: "b", key: "k").body, Array("hello".utf8))
        XCTAssertEqual(rejected.items, ["1", "later"])
        XCTAssertEqual(imds.issuedKeys, ["ASIAIMDS000000000001", "ASIAIMDS000000000002"])
    }

    // MARK: clock skew

    func testClockSkewIsCorrectedFromTheDateHeaderAndRetriedOnce() throws {
        let server = try SkewedClockServer(skew: 20 * 60, answer: .init(status: 200, headers: [("ETag", "\"e\"")], body: Array("on time".utf8)))
        defer { server.stop() }
        let config = AWSConfig(credentials: AWSCredentials(accessKeyId: "AKIDSKEW", secretAccessKey: "s"), region: "us-east-1",
                               customEndpoints: [.s3: server.endpoint])
        let transport = try AWSTransport(config: config, retryPolicy: RetryPolicy(maxAttempts: 1))
        let client = S3Client(transport: transport)
        XCTAssertEqual(try client.getObject(bucket: "b", key: "k").body, Array("on time".utf8))
        XCTAssertEqual(server.amzDates.count, 2)
        XCTAssertEqual(transport.clockCorrection, 1200, accuracy: 3)
        // Later calls sign on the corrected clock at once.
        _ = try client.getObject(bucket: "b", key: "k2")
        XCTAssertEqual(server.amzDates.count, 3)
    }

    // MARK: redaction

    func testSecretsNeverAppearInAWSErrorMessages() {
        Redaction.register(AWSCredentials(accessKeyId: "EXAMPLEKEYID12345678", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                          sessionToken: "FwoGZXIvYXdzEJr//////////wEaDOkz-session-token"))
        let echoed = """
            The request signature we calculated does not match the signature you provided. The Canonical String for this request should have been
            'POST\n/\n\ncontent-type:application/x-amz-json-1.1\nx-amz-security-token:IQoJb3JpZ2luX2VjE-unregistered-token\n\n' Authorization: AWS4-HMAC-SHA256 Credential=ASIAQWERTYUIOPASDFGH/20260101/us-east-1/kinesis/aws4_request, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            key EXAMPLEKEYID12345678 secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY token FwoGZXIvYXdzEJr//////////wEaDOkz-session-token
            """
        let error = AWSError(service: .kinesis, operation: "GetRecords", resource: "stream s", httpStatus: 400, code: "InvalidSignatureException",
                             message: echoed, attempts: 1)
        for secret in ["IQoJb3JpZ2luX2VjE-unregistered-token", "ASIAQWERTYUIOPASDFGH", "0123456789abcdef0123456789abcdef", "EXAMPLEKEYID12345678",
                       "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEJr"] {
            XCTAssertFalse(error.description.contains(secret), "\(secret) in \(error.description)")
        }
        XCTAssertTrue(error.description.contains("x-amz-security-token:<redacted>"), error.description)
        XCTAssertTrue(error.description.contains("Authorization: <redacted>"), error.description)
        XCTAssertTrue(error.description.contains("key <redacted> secret <redacted> token <redacted>"), error.description)
    }
}
