import Foundation
import Synchronization

/// Removes secrets from text that leaves the process (error messages, logs, the runs table).
///
/// Two nets: every secret a credential provider has handed out (secret keys, session tokens, web identity and SSO
/// tokens, access key ids) is registered here and replaced wherever it appears; and shapes that are secret whatever
/// their origin (SigV4 signatures, `x-amz-security-token` values as AWS echoes them in a canonical request, AWS
/// access key ids) are replaced by pattern. `AWSError` passes its message through `redact` when it is built, so no
/// AWS error can carry one out.
public enum Redaction {
    public static let marker = "<redacted>"

    private static let known = Mutex<Set<String>>([])

    /// Remembers `secret` so that later messages containing it are redacted. Values shorter than 8 characters are
    /// not registered: they are test dummies ("testing"), and replacing such a common word would garble messages.
    public static func register(_ secret: String?) {
        guard let secret, secret.count >= 8 else { return }
        known.withLock { _ = $0.insert(secret) }
    }

    /// Registers each part of a credential set.
    public static func register(_ credentials: AWSCredentials) {
        register(credentials.accessKeyId)
        register(credentials.secretAccessKey)
        register(credentials.sessionToken)
    }

    private static let patterns: [(NSRegularExpression, String)] = {
        let rules: [(String, String)] = [
            // Header and query forms of a SigV4 signature.
            (#"(Signature=)[0-9a-fA-F]{16,}"#, "$1" + marker),
            (#"((?i:x-amz-signature)=)[0-9a-fA-F]{16,}"#, "$1" + marker),
            // A session token as a header line in an echoed canonical request, or as a query parameter.
            (#"((?i:x-amz-security-token)\s*[:=]\s*)[^\s&,"<]+"#, "$1" + marker),
            (#"((?i:x-amz-sso_bearer_token)\s*[:=]\s*)[^\s&,"<]+"#, "$1" + marker),
            (#"((?i:authorization)\s*:\s*)[^\n"<]+"#, "$1" + marker),
            // AWS access key ids (long-term AKIA, temporary ASIA, and the other documented prefixes).
            (#"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|APKA)[A-Z0-9]{12,}\b"#, marker),
        ]
        return rules.map { (try! NSRegularExpression(pattern: $0.0), $0.1) }
    }()

    /// `text` with every registered secret and every secret-shaped value replaced by `<redacted>`.
    public static func redact(_ text: String) -> String {
        if text.isEmpty { return text }
        var out = text
        let secrets = known.withLock { $0 }
        // Longest first, so a token that contains a shorter registered value is replaced whole.
        for secret in secrets.sorted(by: { $0.count > $1.count }) where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: marker)
        }
        for (regex, template) in patterns {
            let range = NSRange(out.startIndex..., in: out)
            out = regex.stringByReplacingMatches(in: out, range: range, withTemplate: template)
        }
        return out
    }
}
