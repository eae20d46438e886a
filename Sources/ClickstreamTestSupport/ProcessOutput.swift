import Foundation
import Synchronization

/// Runs a configured `Process` to its end and returns what it printed. Both pipes are read while it runs (stdout
/// on a second thread), so a large output cannot fill a pipe and block the child.
public enum ProcessOutput {
    /// `input` is written to the child's stdin (then closed); nil gives it an empty stdin.
    public static func run(_ p: Process, input: Data? = nil) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = stdin
        try p.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        try? stdin.fileHandleForWriting.close()
        let outBox = Mutex(Data())
        let group = DispatchGroup()
        group.enter()
        let reader = out.fileHandleForReading
        DispatchQueue.global().async {
            let data = reader.readDataToEndOfFile()
            outBox.withLock { $0 = data }
            group.leave()
        }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return (p.terminationStatus, outBox.withLock { $0 }, errData)
    }
}
