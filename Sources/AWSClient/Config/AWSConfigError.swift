import CurlHTTP
/// A configuration problem, or credentials that could not be obtained; each message is one sentence naming what to
/// set or run. Messages never carry a secret.
public enum AWSConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `detail`: why the last resort (EC2 instance metadata) gave nothing, when it was tried.
    case missingCredentials(profile: String, credentialsFile: String, configFile: String, detail: String? = nil)
    case incompleteEnvironmentCredentials(present: String, missing: String)
    case incompleteProfileCredentials(profile: String, file: String, missing: String)
    case missingRegion(profile: String, configFile: String)
    case profileNotFound(profile: String, credentialsFile: String, configFile: String)
    case invalidEndpoint(variable: String, value: String)
    /// A profile whose credential settings do not fit together (`role_arn` with no source, a `source_profile` cycle).
    case invalidProfile(profile: String, file: String, problem: String)
    /// A configured provider that did not deliver (an endpoint down, a process that failed, a bad answer).
    case credentialsUnavailable(source: String, reason: String)
    /// An SSO profile without a usable cached token.
    case ssoLoginRequired(profile: String, problem: String)
    case invalidContainerURI(variable: String, value: String)

    public var description: String {
        switch self {
        case let .missingCredentials(profile, credentialsFile, configFile, detail):
            var text = "No AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add aws_access_key_id and aws_secret_access_key (or role_arn, credential_process, sso_session) to profile \"\(profile)\" in \(credentialsFile) or \(configFile), or run where a container or instance role provides them"
            if let detail { text += " (\(detail))" }
            return text + "."
        case let .incompleteEnvironmentCredentials(present, missing):
            return "\(present) is set but \(missing) is not: set both, or neither to use the shared credentials file."
        case let .incompleteProfileCredentials(profile, file, missing):
            return "Profile \"\(profile)\" in \(file) has no \(missing): add it next to the other credential keys."
        case let .missingRegion(profile, configFile):
            return "No AWS region configured: set AWS_REGION (or AWS_DEFAULT_REGION), or add region to profile \"\(profile)\" in \(configFile)."
        case let .profileNotFound(profile, credentialsFile, configFile):
            return "AWS profile \"\(profile)\" (from AWS_PROFILE) is not defined in \(credentialsFile) or \(configFile): define it or unset AWS_PROFILE."
        case let .invalidEndpoint(variable, value):
            return "\(variable) is \"\(value)\", which is not an http:// or https:// URL: set it to one such as http://127.0.0.1:5000."
        case let .invalidProfile(profile, file, problem):
            return "Profile \"\(profile)\" in \(file) \(problem)."
        case let .credentialsUnavailable(source, reason):
            return Redaction.redact("Could not get AWS credentials from \(source): \(reason).")
        case let .ssoLoginRequired(profile, problem):
            return "The SSO login for profile \"\(profile)\" \(problem): run aws sso login --profile \(profile)."
        case let .invalidContainerURI(variable, value):
            return "\(variable) is \"\(value)\": the SDKs only fetch container credentials over https, from a loopback address, or from 169.254.170.2 / 169.254.170.23 / fd00:ec2::23; use one of those."
        }
    }
}
