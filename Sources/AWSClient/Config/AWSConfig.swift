import CurlHTTP
import Foundation

/// Resolved AWS settings: where credentials come from, region and endpoints, following the AWS SDK conventions.
///
/// Credentials: the SDKs' default chain (`DefaultCredentialChain`: environment keys, web identity, the profile
/// `AWS_PROFILE` (default `default`) in the shared files, container credentials, EC2 instance metadata), chosen here
/// without I/O and fetched on first use through one `CredentialCache` that every transport built from this config
/// shares. Region from `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, then (on EC2) instance metadata.
/// Endpoint per service from `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, then the profile's `endpoint_url`
/// (all ignored when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`). A custom S3 endpoint means path-style addressing.
public struct AWSConfig: Sendable {
    public var credentials: CredentialCache
    public var region: String
    /// Custom endpoints (no trailing slash); a service absent here uses its public regional endpoint.
    public var customEndpoints: [AWSService: String]
    /// The profile consulted (even if credentials came from the environment).
    public var profile: String
    /// True when `CLICKSTREAM_AWS_EMULATOR=moto`: the endpoint is moto, whose quirks (ListShards wants the stream
    /// with `NextToken`) are then humoured. Never guessed from a custom endpoint.
    public var emulator: Bool = false
    /// `AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint`, `AWS_USE_DUALSTACK_ENDPOINT` / `use_dualstack_endpoint`:
    /// which variant of the public endpoints (custom endpoints are used as given).
    public var useFIPS = false, useDualStack = false

    public init(credentials: CredentialCache, region: String, customEndpoints: [AWSService: String] = [:], profile: String = "default") {
        self.credentials = credentials
        self.region = region
        self.customEndpoints = customEndpoints.mapValues(Self.trimSlash)
        self.profile = profile
    }

    /// Fixed keys (tests, tools): never refreshed.
    public init(credentials: AWSCredentials, region: String, customEndpoints: [AWSService: String] = [:], profile: String = "default") {
        self.init(credentials: CredentialCache(credentials), region: region, customEndpoints: customEndpoints, profile: profile)
    }

    /// The base URL for `service`, without trailing slash.
    public func endpoint(for service: AWSService) -> String {
        customEndpoints[service] ?? service.defaultEndpoint(region: region, fips: useFIPS, dualStack: useDualStack)
    }

    public func hasCustomEndpoint(_ service: AWSService) -> Bool { customEndpoints[service] != nil }

    /// These settings in the region an ARN names (`arn:PARTITION:SERVICE:REGION:ACCOUNT:…`), when it names one: a
    /// Kinesis stream or SNS topic in another region is reached at that region's endpoint, signed for it.
    public func inRegion(ofARN name: String) -> AWSConfig {
        let parts = name.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn", !parts[3].isEmpty else { return self }
        var copy = self
        copy.region = String(parts[3])
        return copy
    }

    /// Resolves settings from `environment` (the process environment by default) and the shared files it names.
    /// No credentials are fetched here; the only I/O is reading the shared files, and asking instance metadata for
    /// the region when nothing else names one (and IMDS is not disabled).
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AWSConfig {
        let env: @Sendable (String) -> String? = { name in
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        let explicitProfile = env("AWS_PROFILE")
        let profile = explicitProfile ?? "default"
        let home = env("HOME") ?? NSHomeDirectory()
        let profiles = SharedProfiles(
            credentialsPath: expandTilde(env("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials", home: home),
            configPath: expandTilde(env("AWS_CONFIG_FILE") ?? "~/.aws/config", home: home))

        if explicitProfile != nil && !profiles.exists(profile) {
            throw AWSConfigError.profileNotFound(profile: profile, credentialsFile: profiles.credentialsPath, configFile: profiles.configPath)
        }
        let configSection = profiles.configSection(profile)

        var endpoints: [AWSService: String] = [:]
        if env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.lowercased() != "true" {
            for service in AWSService.allCases {
                let candidates: [(String, String?)] = [
                    ("AWS_ENDPOINT_URL_\(service.environmentSuffix)", env("AWS_ENDPOINT_URL_\(service.environmentSuffix)")),
                    ("AWS_ENDPOINT_URL", env("AWS_ENDPOINT_URL")),
                    ("endpoint_url in \(profiles.configPath)", configSection?["endpoint_url"]),
                ]
                if let (source, value) = candidates.first(where: { $0.1 != nil }), let url = value {
                    guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                        throw AWSConfigError.invalidEndpoint(variable: source, value: url)
                    }
                    endpoints[service] = trimSlash(url)
                }
            }
        }

        let configuredRegion = env("AWS_REGION") ?? env("AWS_DEFAULT_REGION") ?? configSection?["region"]
        let chain = DefaultCredentialChain(env: env, profiles: profiles, profile: profile, stsRegion: configuredRegion ?? "us-east-1",
                                           stsEndpoint: endpoints[.sts], ssoEndpoint: endpoints[.sso], home: home)
        let credentials = CredentialCache(try chain.provider())

        let region: String
        if let configuredRegion {
            region = configuredRegion
        } else if !InstanceMetadataClient.isDisabled(env),
                  let found = try? InstanceMetadataClient(environment: env, profile: profiles.settings(profile)).region(), !found.isEmpty {
            region = found
        } else {
            throw AWSConfigError.missingRegion(profile: profile, configFile: profiles.configPath)
        }
        var config = AWSConfig(credentials: credentials, region: region, customEndpoints: endpoints, profile: profile)
        config.emulator = env("CLICKSTREAM_AWS_EMULATOR")?.lowercased() == "moto"
        config.useFIPS = (env("AWS_USE_FIPS_ENDPOINT") ?? configSection?["use_fips_endpoint"])?.lowercased() == "true"
        config.useDualStack = (env("AWS_USE_DUALSTACK_ENDPOINT") ?? configSection?["use_dualstack_endpoint"])?.lowercased() == "true"
        return config
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
