@testable import AWSClient
import Foundation
import ClickstreamTestSupport
import XCTest

final class AWSConfigTests: XCTestCase {
    var home: String!

    override func setUpWithError() throws {
        home = NSTemporaryDirectory() + "awsconfig-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
        try """
        # shared credentials
        [default]
        aws_access_key_id = AKIDFILEDEFAULT
        aws_secret_access_key = secretdefault

        [analytics]
        aws_access_key_id=AKIDANALYTICS
        aws_secret_access_key=secretanalytics ; comment
        aws_session_token = tokenanalytics

        [half]
        aws_access_key_id = AKIDHALF
        """.write(toFile: home + "/.aws/credentials", atomically: true, encoding: .utf8)
        try """
        [default]
        region = eu-west-1

        [profile analytics]
        region = us-west-2
        endpoint_url = http://127.0.0.1:4566/
        s3 =
          addressing_style = path

        [profile configonly]
        region = ap-south-1
        aws_access_key_id = AKIDCONFIGONLY
        aws_secret_access_key = secretconfigonly
        """.write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: home)
    }

    func testDefaultProfileFromFiles() throws {
        let config = try AWSConfig.resolve(environment: ["HOME": home])
        XCTAssertEqual(try config.credentials.current(), AWSCredentials(accessKeyId: "AKIDFILEDEFAULT", secretAccessKey: "secretdefault"))
        XCTAssertEqual(config.credentials.source, "profile \"default\" in \(home!)/.aws/credentials")
        XCTAssertEqual(config.region, "eu-west-1")
        XCTAssertEqual(config.customEndpoints, [:])
        XCTAssertEqual(config.endpoint(for: .s3), "https://s3.eu-west-1.amazonaws.com")
        XCTAssertEqual(config.endpoint(for: .kinesis), "https://kinesis.eu-west-1.amazonaws.com")
        XCTAssertFalse(config.hasCustomEndpoint(.dynamodb))
    }

    func testNamedProfileWithTokenRegionAndEndpoint() throws {
        let config = try AWSConfig.resolve(environment: ["HOME": home, "AWS_PROFILE": "analytics"])
        XCTAssertEqual(try config.credentials.current(), AWSCredentials(accessKeyId: "AKIDANALYTICS", secretAccessKey: "secretanalytics", sessionToken: "tokenanalytics"))
        XCTAssertEqual(config.region, "us-west-2")
        XCTAssertEqual(config.profile, "analytics")
        XCTAssertEqual(config.endpoint(for: .s3), "http://127.0.0.1:4566")
        XCTAssertEqual(config.endpoint(for: .dynamodb), "http://127.0.0.1:4566")
    }

    func testCredentialsInConfigFile() throws {
        let config = try AWSConfig.resolve(environment: ["HOME": home, "AWS_PROFILE": "configonly"])
        XCTAssertEqual(try config.credentials.current(), AWSCredentials(accessKeyId: "AKIDCONFIGONLY", secretAccessKey: "secretconfigonly"))
        XCTAssertEqual(config.region, "ap-south-1")
    }

    func testEnvironmentWinsOverFiles() throws {
        let config = try AWSConfig.resolve(environment: [
            "HOME": home, "AWS_PROFILE": "analytics",
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "secretenv", "AWS_SESSION_TOKEN": "tokenenv",
            "AWS_DEFAULT_REGION": "ca-central-1",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:1111", "AWS_ENDPOINT_URL_KINESIS": "http://127.0.0.1:2222/",
        ])
        XCTAssertEqual(try config.credentials.current(), AWSCredentials(accessKeyId: "AKIDENV", secretAccessKey: "secretenv", sessionToken: "tokenenv"))
        XCTAssertEqual(config.region, "ca-central-1")
        XCTAssertEqual(config.customEndpoints, [.s3: "http://127.0.0.1:1111", .dynamodb: "http://127.0.0.1:1111", .kinesis: "http://127.0.0.1:2222",
                                                .sns: "http://127.0.0.1:1111", .monitoring: "http://127.0.0.1:1111",
                                                .sts: "http://127.0.0.1:1111", .sso: "http://127.0.0.1:1111"])
        let withRegion = try AWSConfig.resolve(environment: [
            "HOME": home, "AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "ca-central-1", "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:3333",
        ])
        XCTAssertEqual(withRegion.region, "us-east-2")
        XCTAssertEqual(withRegion.customEndpoints, [.s3: "http://127.0.0.1:3333"])
        let ignored = try AWSConfig.resolve(environment: [
            "HOME": home, "AWS_PROFILE": "analytics", "AWS_ENDPOINT_URL": "http://127.0.0.1:1111", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
        ])
        XCTAssertEqual(ignored.customEndpoints, [:])
    }

    func testExplicitFilePaths() throws {
        let config = try AWSConfig.resolve(environment: [
            "HOME": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": home + "/.aws/credentials", "AWS_CONFIG_FILE": home + "/.aws/config",
        ])
        XCTAssertEqual(try config.credentials.current().accessKeyId, "AKIDFILEDEFAULT")
        XCTAssertEqual(config.region, "eu-west-1")
    }

    func testErrors() {
        func message(_ environment: [String: String]) -> String {
            do {
                _ = try AWSConfig.resolve(environment: environment.merging(["AWS_EC2_METADATA_DISABLED": "true"]) { a, _ in a })
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(message(["HOME": "/nonexistent"]),
                       "No AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add aws_access_key_id and aws_secret_access_key (or role_arn, credential_process, sso_session) to profile \"default\" in /nonexistent/.aws/credentials or /nonexistent/.aws/config, or run where a container or instance role provides them.")
        XCTAssertEqual(message(["HOME": "/nonexistent", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"]),
                       "No AWS region configured: set AWS_REGION (or AWS_DEFAULT_REGION), or add region to profile \"default\" in /nonexistent/.aws/config.")
        XCTAssertEqual(message(["HOME": "/nonexistent", "AWS_ACCESS_KEY_ID": "a", "AWS_REGION": "us-east-1"]),
                       "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or neither to use the shared credentials file.")
        XCTAssertEqual(message(["HOME": home, "AWS_PROFILE": "nope"]),
                       "AWS profile \"nope\" (from AWS_PROFILE) is not defined in \(home!)/.aws/credentials or \(home!)/.aws/config: define it or unset AWS_PROFILE.")
        XCTAssertEqual(message(["HOME": home, "AWS_PROFILE": "half", "AWS_REGION": "us-east-1"]),
                       "Profile \"half\" in \(home!)/.aws/credentials has no aws_secret_access_key: add it next to the other credential keys.")
        XCTAssertEqual(message(["HOME": home, "AWS_ENDPOINT_URL": "localhost:4566"]),
                       "AWS_ENDPOINT_URL is \"localhost:4566\", which is not an http:// or https:// URL: set it to one such as http://127.0.0.1:5000.")
    }

    func testCredentialsDescriptionHidesSecrets() {
        XCTAssertEqual("\(AWSCredentials(accessKeyId: "AKID", secretAccessKey: "s", sessionToken: "t"))",
                       "AWSCredentials(accessKeyId: AKID, secretAccessKey: <redacted>, sessionToken: <redacted>)")
    }
}

/// Public endpoints by partition and variant, as the SDKs' endpoint rules give them.
final class AWSEndpointVariantTests: XCTestCase {
    func testFIPSDualStackAndChina() throws {
        XCTAssertEqual(AWSService.kinesis.defaultEndpoint(region: "us-east-1"), "https://kinesis.us-east-1.amazonaws.com")
        XCTAssertEqual(AWSService.kinesis.defaultEndpoint(region: "us-east-1", fips: true), "https://kinesis-fips.us-east-1.amazonaws.com")
        XCTAssertEqual(AWSService.dynamodb.defaultEndpoint(region: "us-west-2", dualStack: true), "https://dynamodb.us-west-2.api.aws")
        XCTAssertEqual(AWSService.dynamodb.defaultEndpoint(region: "us-west-2", fips: true, dualStack: true), "https://dynamodb-fips.us-west-2.api.aws")
        XCTAssertEqual(AWSService.s3.defaultEndpoint(region: "eu-west-1", dualStack: true), "https://s3.dualstack.eu-west-1.amazonaws.com")
        XCTAssertEqual(AWSService.s3.defaultEndpoint(region: "us-gov-west-1", fips: true), "https://s3-fips.us-gov-west-1.amazonaws.com")
        XCTAssertEqual(AWSService.kinesis.defaultEndpoint(region: "cn-north-1"), "https://kinesis.cn-north-1.amazonaws.com.cn")
        XCTAssertEqual(AWSService.kinesis.defaultEndpoint(region: "cn-north-1", dualStack: true), "https://kinesis.cn-north-1.api.amazonwebservices.com.cn")
    }

    func testTheSettingsComeFromTheEnvironmentOrTheProfileAndS3AddressesTheBucketOnThem() throws {
        let dir = try TemporaryDirectory()
        try "[default]\nregion = us-gov-west-1\nuse_dualstack_endpoint = true\n".write(toFile: dir.url("config"), atomically: true, encoding: .utf8)
        let config = try AWSConfig.resolve(environment: [
            "HOME": dir.path, "AWS_CONFIG_FILE": dir.url("config"), "AWS_SHARED_CREDENTIALS_FILE": dir.url("none"),
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_USE_FIPS_ENDPOINT": "true",
            "AWS_EC2_METADATA_DISABLED": "true",
        ])
        XCTAssertTrue(config.useFIPS)
        XCTAssertTrue(config.useDualStack)
        XCTAssertEqual(config.endpoint(for: .kinesis), "https://kinesis-fips.us-gov-west-1.api.aws")
        let s3 = S3Client(transport: try AWSTransport(config: config))
        XCTAssertEqual(s3.url(bucket: "archive", key: "a b.json"), "https://archive.s3-fips.dualstack.us-gov-west-1.amazonaws.com/a%20b.json")
    }

    func testAnARNChoosesTheRegion() {
        let config = AWSConfig(credentials: AWSCredentials(accessKeyId: "A", secretAccessKey: "S", sessionToken: nil), region: "us-east-1")
        XCTAssertEqual(config.inRegion(ofARN: "arn:aws:kinesis:eu-central-1:123456789012:stream/clicks").endpoint(for: .kinesis),
                       "https://kinesis.eu-central-1.amazonaws.com")
        XCTAssertEqual(config.inRegion(ofARN: "clicks").region, "us-east-1", "a plain name keeps the configured region")
        XCTAssertEqual(config.inRegion(ofARN: "arn:aws-cn:sns:cn-north-1:123456789012:alerts").endpoint(for: .sns),
                       "https://sns.cn-north-1.amazonaws.com.cn")
    }
}
