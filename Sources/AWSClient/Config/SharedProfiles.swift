import Foundation

/// The shared config and credentials files, read once, answering "what does profile P say". A profile's settings
/// are those of `[profile P]` (or `[default]`) in the config file overlaid by `[P]` in the credentials file, as
/// the SDKs merge them.
struct SharedProfiles: Sendable {
    let credentialsPath: String
    let configPath: String
    let credentialsSections: [String: [String: String]]
    let configSections: [String: [String: String]]

    init(credentialsPath: String, configPath: String) {
        self.credentialsPath = credentialsPath
        self.configPath = configPath
        credentialsSections = SharedConfigFile.load(path: credentialsPath)?.sections ?? [:]
        configSections = SharedConfigFile.load(path: configPath)?.sections ?? [:]
    }

    func configSection(_ profile: String) -> [String: String]? {
        (profile == "default" ? configSections["default"] : nil) ?? configSections["profile \(profile)"]
    }

    func credentialsSection(_ profile: String) -> [String: String]? { credentialsSections[profile] }

    func exists(_ profile: String) -> Bool { configSection(profile) != nil || credentialsSection(profile) != nil }

    /// The merged settings (empty values dropped).
    func settings(_ profile: String) -> [String: String] {
        var merged = configSection(profile) ?? [:]
        for (key, value) in credentialsSection(profile) ?? [:] { merged[key] = value }
        return merged.filter { !$0.value.isEmpty }
    }

    /// The file that defines `key` for `profile` (for messages).
    func file(defining key: String, in profile: String) -> String {
        credentialsSection(profile)?[key] != nil ? credentialsPath : configPath
    }

    func ssoSession(_ name: String) -> [String: String]? { configSections["sso-session \(name)"] }
}
