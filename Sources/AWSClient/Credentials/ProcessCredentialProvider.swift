import Foundation

/// A profile's `credential_process`: runs the command through `/bin/sh -c` and reads its standard output, the JSON
/// the SDKs define (`Version` 1, `AccessKeyId`, `SecretAccessKey`, optional `SessionToken` and `Expiration`).
/// A failing command's message quotes (redacted, shortened) its standard error, never its output.
public struct ProcessCredentialProvider: CredentialProvider {
    public let command: String
    public let source: String
    /// A command that neither answers nor exits in this many seconds is killed: a run must not hang on a login
    /// helper waiting for a person (an MFA prompt, a browser) when nobody is there, as at 2 a.m. from cron.
    public let timeout: TimeInterval

    public init(command: String, source: String, timeout: TimeInterval = 60) {
        self.command = command
        self.source = source
        self.timeout = timeout
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
        let started = Date()
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [process] in
            // The shell's children first: one of them holding the output pipe would keep us waiting.
            if process.isRunning { Self.killTree(pid) }
        }
        // Drain stderr on another thread so a chatty command cannot fill the pipe and block while we read stdout.
        let errorData = ErrorCollector()
        let reader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderrText = errorData.wait()
        if process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
            && Date().timeIntervalSince(started) >= timeout - 0.1 {
            throw AWSConfigError.credentialsUnavailable(
                source: source, reason: "the command gave no answer within \(Int(timeout)) s and was stopped")
        }
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

    /// SIGKILLs `pid` and every process descending from it (found by their parent ids in /proc).
    static func killTree(_ pid: Int32) {
        var parents: [Int32: [Int32]] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let child = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // "pid (comm) state ppid …": the name may hold spaces or parentheses, so fields start after the last ')'.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[parent, default: []].append(child) }
        }
        var pending = [pid]
        while let next = pending.popLast() {
            pending += parents[next] ?? []
            kill(next, SIGKILL)
        }
    }
}
