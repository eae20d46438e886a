import Foundation

/// A profile's `credential_process`: runs the command through `/bin/sh -c` and reads its standard output, the JSON
/// the SDKs define (`Version` 1, `AccessKeyId`, `SecretAccessKey`, optional `SessionToken` and `Expiration`).
/// A failing command's message quotes (redacted, shortened) its standard error, never its output.
public struct ProcessCredentialProvider: CredentialProvider {
    public let command: String
    public let source: String

    public init(command: String, source: String) {
        self.command = command
        self.source = source
    }

    public func fetch() throws -> AWSCredentials {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw AWSConfigError.credentialsUnavailable(source: source, reason: "cannot start /bin/sh: \(error)")
        }
        // Drain stderr on another thread so a chatty command cannot fill the pipe and block while we read stdout.
        let errorData = ErrorCollector()
        let reader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderrText = errorData.wait()
        guard process.terminationStatus == 0 else {
            let shown = String(decoding: stderrText.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw AWSConfigError.credentialsUnavailable(
                source: source, reason: "the command exited with status \(process.terminationStatus)\(shown.isEmpty ? "" : ": \(shown)")")
        }
        guard let object = try? JSONSerialization.jsonObject(with: output) as? [String: Any] else {
            throw AWSConfigError.credentialsUnavailable(source: source, reason: "the command's output is not a JSON object")
        }
        guard (object["Version"] as? NSNumber)?.intValue == 1 else {
            throw AWSConfigError.credentialsUnavailable(source: source, reason: "the command's output has no \"Version\": 1")
        }
        func field(_ name: String) throws -> String {
            guard let value = object[name] as? String, !value.isEmpty else {
                throw AWSConfigError.credentialsUnavailable(source: source, reason: "the command's output has no \(name)")
            }
            return value
        }
        var expiration: Date? = nil
        if let text = object["Expiration"] as? String {
            guard let date = CredentialDates.parse(text) else {
                throw AWSConfigError.credentialsUnavailable(source: source, reason: "the command's Expiration \"\(text)\" is not an ISO 8601 time")
            }
            expiration = date
        }
        let credentials = AWSCredentials(accessKeyId: try field("AccessKeyId"), secretAccessKey: try field("SecretAccessKey"),
                                         sessionToken: (object["SessionToken"] as? String).flatMap { $0.isEmpty ? nil : $0 },
                                         expiration: expiration)
        Redaction.register(credentials)
        return credentials
    }
}
