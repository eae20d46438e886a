import Foundation

/// The JSON shapes credential endpoints answer with, for the loopback fakes.
public enum FakeCredentialJSON {
    public static func iso8601(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// ECS / EKS Pod Identity / IMDS role credentials.
    public static func ecsShape(id: String, secret: String, token: String, expiration: Date) -> [UInt8] {
        let object: [String: Any] = [
            "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": id, "SecretAccessKey": secret, "Token": token,
            "Expiration": iso8601(expiration), "LastUpdated": iso8601(Date()),
        ]
        return Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
}
