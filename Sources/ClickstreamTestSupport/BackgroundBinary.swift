import Foundation
import Synchronization

/// The binary running in the background (a `stream`, a long replay) while the test acts on it: its stderr is
/// read all along on a thread of its own, so a chatty process can never block on a full pipe, and is handed back
/// with the exit status once it ends. stdout is discarded.
public final class BackgroundBinary: Sendable {
    public struct Ending: Sendable {
        public var status: Int32
        public var stderr: String
    }

    private let process: Process
    private let collected: DispatchSemaphore
    private let stderrData = Mutex(Data())

    init(_ arguments: [String], in directory: String?, environment: [String: String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ClickstreamBinary.path)
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        process = p
        let collected = DispatchSemaphore(value: 0)
        self.collected = collected
        try p.run()
        let reader = err.fileHandleForReading
        Thread { [self] in
            let data = reader.readDataToEndOfFile()
            stderrData.withLock { $0 = data }
            collected.signal()
        }.start()
    }

    public var isRunning: Bool { process.isRunning }

    /// Sends `sig` (SIGTERM, SIGINT) to the process.
    public func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Waits for the process to end; its status and everything it wrote to stderr.
    public func finish() -> Ending {
        process.waitUntilExit()
        collected.wait()
        return Ending(status: process.terminationStatus, stderr: stderrData.withLock { String(decoding: $0, as: UTF8.self) })
    }

    /// SIGTERM, then `finish()`.
    public func stop() -> Ending {
        signal(SIGTERM)
        return finish()
    }
}
