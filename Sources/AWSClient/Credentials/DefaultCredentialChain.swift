import Foundation

/// Picks the credential provider the AWS SDKs would, in their order, without any I/O:
///
/// 1. environment keys: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`);
/// 2. web identity from the environment: `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (+ `AWS_ROLE_SESSION_NAME`);
/// 3. the profile (`AWS_PROFILE`, else `default`) in the shared files: `role_arn` with `source_profile` or
///    `credential_source` (AssumeRole, chains), `role_arn` with `web_identity_token_file`, SSO (`sso_session` or
///    legacy `sso_start_url`), static keys, `credential_process`;
/// 4. container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`;
/// 5. EC2 instance metadata (IMDSv2), unless `AWS_EC2_METADATA_DISABLED=true`.
///
/// The first one *configured* is used, and its failures are reported as its own (a broken role is not silently
/// replaced by the instance role); only when nothing is configured is IMDS tried as the last resort.
struct DefaultCredentialChain {
    let env: (String) -> String?
    let profiles: SharedProfiles
    let profile: String
    /// Region for STS (`us-east-1` when none is configured, as STS's global endpoint would be).
    let stsRegion: String
    let stsEndpoint: String?
    let ssoEndpoint: String?
    let home: String

    func provider() throws -> any CredentialProvider {
        switch (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
        case let (id?, secret?):
            return StaticCredentialProvider(AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: env("AWS_SESSION_TOKEN")),
                                            source: "environment variables")
        case (_?, nil):
            throw AWSConfigError.incompleteEnvironmentCredentials(present: "AWS_ACCESS_KEY_ID", missing: "AWS_SECRET_ACCESS_KEY")
        case (nil, _?):
            throw AWSConfigError.incompleteEnvironmentCredentials(present: "AWS_SECRET_ACCESS_KEY", missing: "AWS_ACCESS_KEY_ID")
        case (nil, nil):
            break
        }
        if let tokenFile = env("AWS_WEB_IDENTITY_TOKEN_FILE"), let roleArn = env("AWS_ROLE_ARN") {
            return WebIdentityCredentialProvider(tokenFile: tokenFile, roleArn: roleArn, sessionName: env("AWS_ROLE_SESSION_NAME"),
                                                 sts: try sts(source: nil), source: "web identity (AWS_WEB_IDENTITY_TOKEN_FILE, role \(roleArn))")
        }
        if let found = try profileProvider(profile, visited: []) { return found }
        if let container = try ContainerCredentialProvider.fromEnvironment(env) { return container }
        let missing = AWSConfigError.missingCredentials(profile: profile, credentialsFile: profiles.credentialsPath, configFile: profiles.configPath)
        if InstanceMetadataClient.isDisabled(env) { throw missing }
        return InstanceMetadataCredentialProvider(client: InstanceMetadataClient(environment: env, profile: profiles.settings(profile)),
                                                  lastResort: missing)
    }

    private func sts(source: CredentialCache?) throws -> STSClient {
        try STSClient(region: stsRegion, endpoint: stsEndpoint, source: source)
    }

    /// The provider profile `name` configures, nil when it has no credential settings.
    func profileProvider(_ name: String, visited: [String]) throws -> (any CredentialProvider)? {
        let s = profiles.settings(name)
        let file = { (key: String) in profiles.file(defining: key, in: name) }
        if let roleArn = s["role_arn"] {
            let duration: Int?
            if let text = s["duration_seconds"] {
                guard let value = Int(text), value >= 900, value <= 43200 else {
                    throw AWSConfigError.invalidProfile(profile: name, file: file("duration_seconds"),
                                                        problem: "has duration_seconds = \(text): use a whole number of seconds from 900 to 43200")
                }
                duration = value
            } else {
                duration = nil
            }
            if s["source_profile"] == nil, s["credential_source"] == nil, let tokenFile = s["web_identity_token_file"] {
                return WebIdentityCredentialProvider(tokenFile: tokenFile, roleArn: roleArn, sessionName: s["role_session_name"],
                                                     durationSeconds: duration, sts: try sts(source: nil),
                                                     source: "profile \"\(name)\" (web_identity_token_file, role \(roleArn))")
            }
            let sourceProvider: any CredentialProvider
            let how: String
            if let sourceProfile = s["source_profile"] {
                how = "source_profile \(sourceProfile)"
                if visited.contains(sourceProfile) {
                    throw AWSConfigError.invalidProfile(profile: name, file: file("source_profile"),
                                                        problem: "has source_profile = \(sourceProfile), which leads back to itself (\((visited + [name, sourceProfile]).joined(separator: " -> ")))")
                }
                if sourceProfile == name {
                    guard let keys = try staticKeys(name) else {
                        throw AWSConfigError.invalidProfile(profile: name, file: file("source_profile"),
                                                            problem: "names itself as source_profile but has no aws_access_key_id and aws_secret_access_key")
                    }
                    sourceProvider = keys
                } else {
                    guard profiles.exists(sourceProfile) else {
                        throw AWSConfigError.invalidProfile(profile: name, file: file("source_profile"),
                                                            problem: "has source_profile = \(sourceProfile), which is not defined in \(profiles.credentialsPath) or \(profiles.configPath)")
                    }
                    guard let found = try profileProvider(sourceProfile, visited: visited + [name]) else {
                        throw AWSConfigError.invalidProfile(profile: name, file: file("source_profile"),
                                                            problem: "has source_profile = \(sourceProfile), which has no credentials")
                    }
                    sourceProvider = found
                }
            } else if let credentialSource = s["credential_source"] {
                how = "credential_source \(credentialSource)"
                sourceProvider = try self.credentialSource(credentialSource, profile: name, file: file("credential_source"))
            } else {
                throw AWSConfigError.invalidProfile(profile: name, file: file("role_arn"),
                                                    problem: "has role_arn but no source_profile, credential_source or web_identity_token_file: add one to say whose credentials assume the role")
            }
            let sourceCache = CredentialCache(sourceProvider)
            return AssumeRoleCredentialProvider(roleArn: roleArn, sessionName: s["role_session_name"], externalId: s["external_id"],
                                                durationSeconds: duration, sourceCredentials: sourceCache, sts: try sts(source: sourceCache),
                                                source: "profile \"\(name)\" (role \(roleArn) via \(how))")
        }
        if s["sso_session"] != nil || s["sso_start_url"] != nil {
            return try ssoProvider(name, settings: s)
        }
        if let keys = try staticKeys(name) { return keys }
        if let command = s["credential_process"] {
            return ProcessCredentialProvider(command: command, source: "profile \"\(name)\" (credential_process)")
        }
        return nil
    }

    private func staticKeys(_ name: String) throws -> StaticCredentialProvider? {
        for (section, path) in [(profiles.credentialsSection(name), profiles.credentialsPath), (profiles.configSection(name), profiles.configPath)] {
            guard let section else { continue }
            let id = section["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
            let secret = section["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
            switch (id, secret) {
            case let (id?, secret?):
                return StaticCredentialProvider(
                    AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: section["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }),
                    source: "profile \"\(name)\" in \(path)")
            case (_?, nil):
                throw AWSConfigError.incompleteProfileCredentials(profile: name, file: path, missing: "aws_secret_access_key")
            case (nil, _?):
                throw AWSConfigError.incompleteProfileCredentials(profile: name, file: path, missing: "aws_access_key_id")
            case (nil, nil):
                continue
            }
        }
        return nil
    }

    private func credentialSource(_ value: String, profile: String, file: String) throws -> any CredentialProvider {
        switch value {
        case "Environment":
            guard let id = env("AWS_ACCESS_KEY_ID"), let secret = env("AWS_SECRET_ACCESS_KEY") else {
                throw AWSConfigError.invalidProfile(profile: profile, file: file,
                                                    problem: "has credential_source = Environment but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
            }
            return StaticCredentialProvider(AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: env("AWS_SESSION_TOKEN")),
                                            source: "environment variables")
        case "Ec2InstanceMetadata":
            return InstanceMetadataCredentialProvider(client: InstanceMetadataClient(environment: env, profile: profiles.settings(profile)))
        case "EcsContainer":
            guard let container = try ContainerCredentialProvider.fromEnvironment(env) else {
                throw AWSConfigError.invalidProfile(profile: profile, file: file,
                                                    problem: "has credential_source = EcsContainer but neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set")
            }
            return container
        default:
            throw AWSConfigError.invalidProfile(profile: profile, file: file,
                                                problem: "has credential_source = \(value): use Environment, Ec2InstanceMetadata or EcsContainer")
        }
    }

    private func ssoProvider(_ name: String, settings s: [String: String]) throws -> SSOCredentialProvider {
        let file = profiles.configPath
        var startURL = s["sso_start_url"], region = s["sso_region"]
        let sessionName = s["sso_session"]
        if let sessionName {
            guard let session = profiles.ssoSession(sessionName) else {
                throw AWSConfigError.invalidProfile(profile: name, file: file,
                                                    problem: "has sso_session = \(sessionName) but there is no [sso-session \(sessionName)] section")
            }
            startURL = session["sso_start_url"] ?? startURL
            region = session["sso_region"] ?? region
        }
        for (key, value) in [("sso_start_url", startURL), ("sso_region", region), ("sso_account_id", s["sso_account_id"]), ("sso_role_name", s["sso_role_name"])] where value == nil {
            throw AWSConfigError.invalidProfile(profile: name, file: file, problem: "is an SSO profile without \(key)")
        }
        return try SSOCredentialProvider(profile: name, startURL: startURL!, sessionName: sessionName, accountId: s["sso_account_id"]!,
                                         roleName: s["sso_role_name"]!, ssoRegion: region!, cacheDirectory: home + "/.aws/sso/cache",
                                         portalEndpoint: ssoEndpoint)
    }
}
