import Foundation

/// The timestamp shapes credential sources use: ISO 8601 with or without fractional seconds, `Z` or an offset
/// (STS, ECS, IMDS, credential_process), the AWS CLI's legacy `2026-01-01T00:00:00UTC` in SSO caches, and epoch
/// milliseconds (the SSO portal).
enum CredentialDates {
    static func parse(_ text: String) -> Date? {
        var value = text.trimmingCharacters(in: .whitespaces)
        if value.hasSuffix("UTC") { value = String(value.dropLast(3)) + "Z" }
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: value) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: value)
    }

    static func format(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// An HTTP `Date` header (RFC 7231 IMF-fixdate), for clock skew correction.
    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
