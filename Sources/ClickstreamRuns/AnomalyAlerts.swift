import ClickstreamCodecs
import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import Foundation
import SourceKinesis
import SourceLocal
import SourceS3

/// Reports anomalies a committed batch added (or changed): a log line each, and with an alert command, one
/// `/bin/sh -c COMMAND` per anomaly with the anomaly as a JSON object on stdin. Commands run one at a time on
/// their own queue so a slow pager never stalls the consumer.
final class AnomalyAlerts {
    let command: String?
    let stream: String
    let log: Log
    private let queue = DispatchQueue(label: "clickstream.stream.alerts")
    private let pending = DispatchGroup()

    init(command: String?, stream: String, log: Log) {
        self.command = command
        self.stream = stream
        self.log = log
        if command != nil { ProcessTuning.ignoreSIGPIPE() } // a command that ignores stdin must not end the consumer
    }

    static func json(_ a: Anomaly.Row, stream: String) -> [String: Any] {
        ["session_id": a.sessionId, "kind": a.kind, "at": a.at, "details": a.details, "stream": stream]
    }

    func report(_ a: Anomaly.Row) {
        let object = Self.json(a, stream: stream)
        log.warn("anomaly \(a.kind) session \(a.sessionId) at \(a.at): \(a.details)", ["anomaly": object])
        guard let command else { return }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        pending.enter()
        queue.async { [log, pending] in
            defer { pending.leave() }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", command]
            let stdin = Pipe()
            p.standardInput = stdin
            do {
                try p.run()
                // A command that does not read its stdin closes the pipe: EPIPE is a warning, not the consumer's end.
                do { try stdin.fileHandleForWriting.write(contentsOf: data + [10]) } catch {
                    log.warn("alert command did not read the anomaly on stdin (\(error)): \(command)")
                }
                try? stdin.fileHandleForWriting.close()
                p.waitUntilExit()
                if p.terminationStatus != 0 {
                    log.warn("alert command exited with status \(p.terminationStatus): \(command)")
                }
            } catch {
                log.warn("alert command could not run: \(error)")
            }
        }
    }

    /// Waits (bounded) for alert commands still running.
    func wait(seconds: Double) {
        _ = pending.wait(timeout: .now() + seconds)
    }
}
