import Foundation

/// Runs the built `clickstream` executable (the one next to the test bundle) as a user would.
public enum ClickstreamBinary {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String

        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// `.build/<config>/clickstream`, found beside the running test bundle.
    public static var path: String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("clickstream").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug/clickstream"
    }

    /// Runs it with `arguments` in `directory`, with `environment` added to this process's environment.
    @discardableResult
    public static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
                           stdin: String? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let r = try ProcessOutput.run(p, input: stdin.map { Data($0.utf8) })
        return Result(status: r.status, stdout: String(decoding: r.stdout, as: UTF8.self),
                      stderr: String(decoding: r.stderr, as: UTF8.self))
    }

    /// Starts it in the background (a `stream`, a replay to interrupt); see `BackgroundBinary`.
    public static func start(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> BackgroundBinary {
        try BackgroundBinary(arguments, in: directory, environment: environment)
    }

    /// Runs it under a pseudo-terminal (util-linux `script`), as a person at a terminal would: stdout and stderr
    /// are both the terminal, so what comes back is the two interleaved, escape sequences included.
    public static func runInTerminal(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> Result {
        let quoted = ([path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-q", "-e", "-c", quoted, "/dev/null"]
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let r = try ProcessOutput.run(p)
        return Result(status: r.status, stdout: String(decoding: r.stdout, as: UTF8.self),
                      stderr: String(decoding: r.stderr, as: UTF8.self))
    }
}
