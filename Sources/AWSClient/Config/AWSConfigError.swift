import CurlHTTP
/// A configuration problem found before any request is made; each message is one sentence naming what to set.
public enum AWSConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingCredentials(profile: String, credentialsFile: String, configFile: String)
    case incompleteEnvironmentCredentials(present: String, missing: String)
    case incompleteProfileCredentials(profile: String, file: String, missing: String)
    case missingRegion(profile: String, configFile: String)
    case profileNotFound(profile: String, credentialsFile: String, configFile: String)
    case invalidEndpoint(variable: String, value: String)

    public var description: String {
        switch self {
        case let .missingCredentials(profile, credentialsFile, configFile):
            return "No AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add aws_access_key_id and aws_secret_access_key to profile \"\(profile)\" in \(credentialsFile) or \(configFile)."
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
        }
    }
}
