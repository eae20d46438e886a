import ClickstreamCodecs
import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import Foundation
import SourceKinesis
import SourceLocal
import SourceS3

/// Reports the anomalies a committed batch added (new by session, kind and instant; one whose details change
/// later is not new): a log line each; with an alert command, one `/bin/sh -c COMMAND` per anomaly with the
/// anomaly as a JSON object on stdin; with an SNS topic, one `Publish` of the same JSON with the message
/// attributes `kind` and `session_id` (for subscription filter policies). Alerts run one at a time on their own
/// queue, after the commit, so a slow pager or an SNS outage never stalls the consumer or blocks a commit; an
/// alert that cannot be sent after its retries is logged and counted (`failed`), never dropped silently.
final class AnomalyAlerts: @unchecked Sendable {
    let command: String?
    let topic: (arn: String, client: SNSClient)?
    let stream: String
    let log: Log
    private let queue = DispatchQueue(label: "clickstream.stream.alerts")
    private let pending = DispatchGroup()
    /// Alerts sent and alerts that could not be sent, per path (touched on `queue` only, read after `wait`).
    private(set) var published = 0, failed = 0

    init(command: String?, topic: (arn: String, client: SNSClient)? = nil, stream: String, log: Log) {
        self.command = command
        self.topic = topic
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
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        if let topic { publish(a, data, to: topic) }
        guard let command else { return }
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

    private func publish(_ a: Anomaly.Row, _ data: Data, to topic: (arn: String, client: SNSClient)) {
        pending.enter()
        queue.async { [self] in
            defer { pending.leave() }
            do {
                try topic.client.publish(topicArn: topic.arn, message: String(decoding: data, as: UTF8.self),
                                         attributes: [("kind", a.kind), ("session_id", a.sessionId)])
                published += 1
            } catch {
                failed += 1
                log.error("alert not sent to SNS topic \(topic.arn) (anomaly \(a.kind) session \(a.sessionId) at \(a.at)): \(error)",
                          ["anomaly": Self.json(a, stream: stream)], event: "alert_failed")
            }
        }
    }

    /// Waits (bounded) for alert commands still running.
    func wait(seconds: Double) {
        _ = pending.wait(timeout: .now() + seconds)
    }
}
