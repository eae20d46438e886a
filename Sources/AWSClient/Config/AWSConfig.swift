import CurlHTTP
import Foundation

/// Resolved AWS settings: credentials, region and endpoints, following the AWS SDK conventions.
///
/// Precedence: credentials from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`), else the
/// profile (`AWS_PROFILE`, default `default`) in the shared credentials file (`[NAME]`), else in the config file
/// (`[profile NAME]`, or `[default]`). Region from `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
/// Endpoint per service from `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, then the profile's `endpoint_url`
/// (all ignored when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`). A custom S3 endpoint means path-style addressing.
public struct AWSConfig: Sendable, Equatable {
    public var credentials: AWSCredentials
    public var region: String
    /// Custom endpoints (no trailing slash); a service absent here uses its public regional endpoint.
    public var customEndpoints: [AWSService: String]
    /// The profile consulted (even if credentials came from the environment).
    public var profile: String

    public init(credentials: AWSCredentials, region: String, customEndpoints: [AWSService: String] = [:], profile: String = "default") {
        self.credentials = credentials
        self.region = region
        self.customEndpoints = customEndpoints.mapValues(Self.trimSlash)
        self.profile = profile
    }

    /// The base URL for `service`, without trailing slash.
    public func endpoint(for service: AWSService) -> String {
        customEndpoints[service] ?? service.defaultEndpoint(region: region)
    }

    public func hasCustomEndpoint(_ service: AWSService) -> Bool { customEndpoints[service] != nil }

    /// Resolves settings from `environment` (the process environment by default) and the shared files it names.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AWSConfig {
        func env(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        let explicitProfile = env("AWS_PROFILE")
        let profile = explicitProfile ?? "default"
        let home = env("HOME") ?? NSHomeDirectory()
        let credentialsPath = expandTilde(env("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials", home: home)
        let configPath = expandTilde(env("AWS_CONFIG_FILE") ?? "~/.aws/config", home: home)
        let credentialsFile = SharedConfigFile.load(path: credentialsPath)
        let configFile = SharedConfigFile.load(path: configPath)
        let credentialsSection = credentialsFile?.sections[profile]
        let configSection = configFile?.sections[profile == "default" ? "default" : "profile \(profile)"]
            ?? configFile?.sections["profile \(profile)"]

        if explicitProfile != nil && credentialsSection == nil && configSection == nil {
            throw AWSConfigError.profileNotFound(profile: profile, credentialsFile: credentialsPath, configFile: configPath)
        }

        let credentials: AWSCredentials
        switch (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
        case let (id?, secret?):
            credentials = AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: env("AWS_SESSION_TOKEN"))
        case (_?, nil):
            throw AWSConfigError.incompleteEnvironmentCredentials(present: "AWS_ACCESS_KEY_ID", missing: "AWS_SECRET_ACCESS_KEY")
        case (nil, _?):
            throw AWSConfigError.incompleteEnvironmentCredentials(present: "AWS_SECRET_ACCESS_KEY", missing: "AWS_ACCESS_KEY_ID")
        case (nil, nil):
            if let found = try profileCredentials(credentialsSection, profile: profile, file: credentialsPath)
                ?? profileCredentials(configSection, profile: profile, file: configPath) {
                credentials = found
            } else {
                throw AWSConfigError.missingCredentials(profile: profile, credentialsFile: credentialsPath, configFile: configPath)
            }
        }

        guard let region = env("AWS_REGION") ?? env("AWS_DEFAULT_REGION") ?? configSection?["region"] else {
            throw AWSConfigError.missingRegion(profile: profile, configFile: configPath)
        }

        var endpoints: [AWSService: String] = [:]
        if env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.lowercased() != "true" {
            for service in AWSService.allCases {
                let candidates: [(String, String?)] = [
                    ("AWS_ENDPOINT_URL_\(service.environmentSuffix)", env("AWS_ENDPOINT_URL_\(service.environmentSuffix)")),
                    ("AWS_ENDPOINT_URL", env("AWS_ENDPOINT_URL")),
                    ("endpoint_url in \(configPath)", configSection?["endpoint_url"]),
                ]
                if let (source, value) = candidates.first(where: { $0.1 != nil }), let url = value {
                    guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                        throw AWSConfigError.invalidEndpoint(variable: source, value: url)
                    }
                    endpoints[service] = url
                }
            }
        }
        return AWSConfig(credentials: credentials, region: region, customEndpoints: endpoints, profile: profile)
    }

    private static func profileCredentials(_ section: [String: String]?, profile: String, file: String) throws -> AWSCredentials? {
        guard let section else { return nil }
        let id = section["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = section["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
        switch (id, secret) {
        case let (id?, secret?):
            return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: section["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 })
        case (_?, nil):
            throw AWSConfigError.incompleteProfileCredentials(profile: profile, file: file, missing: "aws_secret_access_key")
        case (nil, _?):
            throw AWSConfigError.incompleteProfileCredentials(profile: profile, file: file, missing: "aws_access_key_id")
        case (nil, nil):
            return nil
        }
    }

    private static func expandTilde(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return path
    }

    static func trimSlash(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
