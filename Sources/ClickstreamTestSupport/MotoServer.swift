import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One `moto_server` per test process, on a free 127.0.0.1 port, started on first use and killed at process exit.
///
/// moto routes requests by the credential scope of the signature and keeps state per region, so tests should use
/// unique bucket, stream and table names rather than expect a fresh server.
public final class MotoServer: Sendable {
    public let port: Int
    /// `http://127.0.0.1:PORT`
    public let endpoint: String
    private let process: Process

    /// The shared server; fails the whole test process with install instructions when `moto_server` is missing.
    public static let shared: MotoServer = {
        do {
            return try MotoServer()
        } catch {
            fatalError("\(error)")
        }
    }()

    /// Environment for AWSConfig resolution or child processes: dummy credentials, us-east-1, this endpoint, and
    /// shared config files pointed at nothing so the developer's ~/.aws never leaks in.
    public var environment: [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
            "AWS_CONFIG_FILE": "/nonexistent/aws-config",
            // moto's ListShards pagination quirk is humoured only when the emulator is named.
            "CLICKSTREAM_AWS_EMULATOR": "moto",
            // Tests never reach for 169.254.169.254.
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
    }

    public struct NotInstalled: Error, CustomStringConvertible {
        public var description: String {
            "moto_server is not on PATH: install it with pip install 'moto[server]' (the AWS tests run against it on 127.0.0.1)"
        }
    }

    public struct DidNotStart: Error, CustomStringConvertible {
        public var port: Int
        public var description: String { "moto_server did not answer on 127.0.0.1:\(port) within 30 seconds" }
    }

    private init() throws {
        guard let executable = Self.findOnPath("moto_server") else { throw NotInstalled() }
        port = LoopbackPort.free()
        endpoint = "http://127.0.0.1:\(port)"
        process = Process()
        // A shell watchdog owns moto: it stops moto when we SIGTERM it at exit, and also when this test process
        // dies without running atexit handlers (crash, SIGKILL), so no moto_server outlives its tests.
        let script = """
            "$0" -H 127.0.0.1 -p \(port) & moto=$!
            trap 'kill $moto 2>/dev/null; exit 0' TERM INT
            while kill -0 \(getpid()) 2>/dev/null && kill -0 $moto 2>/dev/null; do sleep 0.5; done
            kill $moto 2>/dev/null
            """
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, executable]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        motoProcessID.store(process.processIdentifier, ordering: .relaxed)
        atexit {
            let pid = motoProcessID.load(ordering: .relaxed)
            if pid > 0 { kill(pid, SIGTERM) }
        }
        let deadline = Date(timeIntervalSinceNow: 30)
        while !LoopbackPort.isAccepting(port) {
            guard Date() < deadline, process.isRunning else {
                process.terminate()
                throw DidNotStart(port: port)
            }
            usleep(50_000)
        }
    }

    static func findOnPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Read by the `atexit` handler, which cannot capture context.
private let motoProcessID = Atomic<Int32>(0)
