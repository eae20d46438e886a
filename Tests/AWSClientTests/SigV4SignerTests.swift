import CurlHTTP
@testable import AWSClient
import Foundation
import XCTest

final class SigV4SignerTests: XCTestCase {
    /// AWS's published SigV4 suite (see SigV4TestVectors.swift for provenance).
    func testAWSTestSuiteVectors() {
        let date = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z
        XCTAssertGreaterThanOrEqual(sigV4TestVectors.count, 28)
        for vector in sigV4TestVectors {
            let token = vector.name.contains("with-session-token")
                ? "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267" : nil
            let credentials = AWSCredentials(
                accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: token)
            let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "service")
            let signed = signer.sign(Self.parse(vector.request), date: date)
            XCTAssertEqual(signed.header("authorization"), vector.authorization, vector.name)
        }
    }

    /// Expected values produced once with `python3 scripts/sigv4_reference.py` (botocore 1.43.11), which signs the
    /// same URLs, headers and bodies at 2025-07-03T05:00:00Z with AKIDEXAMPLE.
    func testMatchesBotocore() {
        let date = Date(timeIntervalSince1970: 1_751_518_800)  // 2025-07-03T05:00:00Z
        let token = "FwoGZXIvYXdzEJr//////////wEaDOsession+token/with=chars"
        let kinesisBody = #"{"ShardIterator":"AAAAAAAAAAH+iterator/with==","Limit":10000}"#
        let ddbBody = #"{"TableName":"clicks-page-metrics","KeyConditionExpression":"page_url = :p","ExpressionAttributeValues":{":p":{"S":"/home"}}}"#
        let kinesisHeaders = [HTTPHeader("Content-Type", "application/x-amz-json-1.1"), HTTPHeader("X-Amz-Target", "Kinesis_20131202.GetRecords")]
        let cases: [(String, String, String, String, [HTTPHeader], String, String?, String)] = [
            ("s3-get-key-with-equals", "s3", "GET",
             "https://clicks-archive.s3.us-east-1.amazonaws.com/year%3D2025/month%3D7/day%3D3/hour%3D5/events-0001.json.gz",
             [], "", nil,
             "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=335cc71805865158309214393948b61abc63cad003c91ba5232ab486aaafb6b3"),
            ("s3-get-key-space-plus-unicode", "s3", "GET",
             "https://clicks-archive.s3.us-east-1.amazonaws.com/dir/a%20b%2Bc%20caf%C3%A9%20%E6%97%A5%E6%9C%AC.json",
             [], "", nil,
             "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=2a6e2dd1734d27a2ee917fa6006473ca736d5b19fa5d15d7b634b622f3df9a3e"),
            ("s3-list-objects-v2", "s3", "GET",
             "https://clicks-archive.s3.us-east-1.amazonaws.com/?list-type=2&prefix=year%3D2025%2Fmonth%3D7%2F&max-keys=1000"
                + "&continuation-token=1%2Fabc%2Bdef%3D%3D&start-after=year%3D2025%2Fa%20b",
             [], "", nil,
             "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=0862b6499effb5153f515783819e6e3d0fff2d4f609d82bd42e0f163f55f042e"),
            ("s3-path-style-session-token", "s3", "GET",
             "http://127.0.0.1:4566/clicks-archive/year%3D2025/%E6%97%A5%E6%9C%AC%20x.json",
             [], "", token,
             "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=11c8bdf8f28155566c2a82a70d5fdb0ea247458eb03935b8beb28bf480dccb7c"),
            ("s3-put-object", "s3", "PUT",
             "https://clicks-archive.s3.us-east-1.amazonaws.com/raw/event%2B1.json",
             [HTTPHeader("Content-Type", "application/json")], "{\"session_id\":\"s1\"}\n", nil,
             "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=6ba95e025ce6f0f14111ea933aca28ac1fdaa959e63534a2cfef8ca4ebc88bbd"),
            ("kinesis-get-records", "kinesis", "POST", "https://kinesis.us-east-1.amazonaws.com/",
             kinesisHeaders, kinesisBody, nil,
             "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=ddcdff10d955ddc827b68fefd6d6f39ff503302dffd16b3609d99afbf4f34432"),
            ("kinesis-session-token", "kinesis", "POST", "https://kinesis.us-east-1.amazonaws.com/",
             kinesisHeaders, kinesisBody, token,
             "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=d4fd135406104e8b7fa19abe1dc661bb3e23e6d52788b514bc8b303c0b917e1f"),
            ("dynamodb-query", "dynamodb", "POST", "https://dynamodb.us-east-1.amazonaws.com/",
             [HTTPHeader("Content-Type", "application/x-amz-json-1.0"), HTTPHeader("X-Amz-Target", "DynamoDB_20120810.Query")],
             ddbBody, nil,
             "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=77b096ee77dd19a5976a717318cdba4f7c6f82cc8816c54107909ef79a458195"),
        ]
        for (name, service, method, url, headers, body, sessionToken, expected) in cases {
            let credentials = AWSCredentials(
                accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: sessionToken)
            let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: service)
            let request = HTTPRequest(method: method, url: url, headers: headers, body: Array(body.utf8))
            let signed = signer.sign(request, date: date)
            XCTAssertEqual(
                signed.header("authorization"),
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250703/us-east-1/\(service)/aws4_request, \(expected)", name)
            if service == "s3" {
                XCTAssertEqual(signed.header("x-amz-content-sha256"), Crypto.hex(Crypto.sha256(Array(body.utf8))), name)
            } else {
                XCTAssertNil(signed.header("x-amz-content-sha256"), name)
            }
            XCTAssertEqual(signed.header("x-amz-security-token"), sessionToken, name)
            XCTAssertEqual(signed.header("x-amz-date"), "20250703T050000Z", name)
        }
    }

    func testCanonicalPieces() {
        XCTAssertEqual(SigV4Signer.canonicalURI("/a%20b/c%3Dd", service: "s3"), "/a%20b/c%3Dd")
        XCTAssertEqual(SigV4Signer.canonicalURI("/a b/./c", service: "s3"), "/a%20b/./c")
        XCTAssertEqual(SigV4Signer.canonicalURI("/a%20b//./c/", service: "kinesis"), "/a%2520b/c/")
        XCTAssertEqual(SigV4Signer.canonicalQuery("b=2&a=x%2Fy&a=1&c"), "a=1&a=x%2Fy&b=2&c=")
        XCTAssertEqual(SigV4Signer.trimHeaderValue("  a   b  c "), "a b c")
        XCTAssertEqual(PercentEncoding.encode("year=2025/é 日+~", keepSlash: true), "year%3D2025/%C3%A9%20%E6%97%A5%2B~")
    }

    /// Parses a `.req` file of the suite: request line, `Name:value` headers, blank line, body.
    static func parse(_ raw: String) -> HTTPRequest {
        var lines = raw.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        let firstSpace = requestLine.firstIndex(of: " ")!
        let method = String(requestLine[..<firstSpace])
        let versionStart = requestLine.range(of: " HTTP/", options: .backwards)!.lowerBound
        let target = String(requestLine[requestLine.index(after: firstSpace)..<versionStart])
        var headers: [HTTPHeader] = []
        var bodyLines: [String]? = nil
        for line in lines {
            if bodyLines != nil { bodyLines!.append(line); continue }
            if line.isEmpty { bodyLines = []; continue }
            let colon = line.firstIndex(of: ":")!
            headers.append(HTTPHeader(String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
        let host = headers.first { $0.name.lowercased() == "host" }!.value
        let body = (bodyLines ?? []).joined(separator: "\n")
        return HTTPRequest(method: method, url: "https://\(host)\(target)", headers: headers, body: Array(body.utf8))
    }
}
