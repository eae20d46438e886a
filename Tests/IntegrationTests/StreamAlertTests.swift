import AWSClient
import ClickstreamStore
import ClickstreamTestSupport
import Foundation
import XCTest

/// `clickstream stream --alert-sns-topic`: through moto's SNS into an SQS queue subscribed to the topic, read
/// back with boto3 (the reading side is not our code).
final class StreamAlertTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory(prefix: "alert-tests") }
    var moto: MotoServer { MotoServer.shared }

    /// A topic with an SQS queue subscribed (the SNS envelope, so the message attributes are visible).
    func topicWithQueue(_ name: String) throws -> (topic: String, queue: String) {
        let out = try Boto3.run("""
            sns = client("sns"); sqs = client("sqs")
            topic = sns.create_topic(Name=args["name"])["TopicArn"]
            url = sqs.create_queue(QueueName=args["name"])["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
            print(json.dumps({"topic": topic, "queue": url}))
            """, args: ["name": name], environment: moto.environment) as! [String: String]
        return (out["topic"]!, out["queue"]!)
    }

    /// Every message in the queue (drained), as the SNS envelopes.
    func drain(_ queue: String) throws -> [[String: Any]] {
        try Boto3.run("""
            sqs = client("sqs"); out = []
            while True:
                got = sqs.receive_message(QueueUrl=args["queue"], MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
                if not got: break
                for m in got:
                    out.append(json.loads(m["Body"]))
                    sqs.delete_message(QueueUrl=args["queue"], ReceiptHandle=m["ReceiptHandle"])
            print(json.dumps(out))
            """, args: ["queue": queue], environment: moto.environment) as! [[String: Any]]
    }

    func testEachAnomalyIsPublishedOnceWithItsAttributesEvenWhenItsDetailsGrow() throws {
        let kinesis = KinesisClient(transport: try AWSTransport(config: AWSConfig.resolve(environment: moto.environment)))
        let stream = "alerts-\(UInt32.random(in: 0...UInt32.max))"
        try kinesis.createStream(stream, shardCount: 1)
        let (topic, queue) = try topicWithQueue(stream)
        let minute = day0 + 5 * hourMs
        // A burst of one session inside one minute, sent in two parts: after the first 55 events the anomaly exists
        // ("55 events"); the next 20 change its details to 75, which is not a new anomaly.
        let burst = (0..<75).map { i in (ms: minute + Int64(i) * 700, line: eventLine(session: "burst", at: minute + Int64(i) * 700)) }
        let others = randomEvents(seed: 11, count: 400, hours: 2)

        let db = dir.url("live.sqlite")
        let p = try ClickstreamBinary.start(["stream", "kinesis://\(stream)", "--start", "trim-horizon", "--db", db, "--status-interval", "0",
                                             "--alert-sns-topic", topic], environment: moto.environment)
        defer { if p.isRunning { p.signal(SIGTERM) } }

        try StreamTests.put(kinesis, stream, burst[..<55], batch: 55)
        try wait(30, "the first part's anomaly") { (try? self.anomalyDetails(db, "burst")) == "55 events in one minute (limit 50)" }
        try StreamTests.put(kinesis, stream, burst[55...], batch: 20)
        try StreamTests.put(kinesis, stream, others[...], batch: 100)
        let expectedEvents = Int64(75 + Set(others.map(\.line)).count)
        try wait(30, "every event") { storedEvents(db) == expectedEvents }
        try wait(10, "the details to grow") { (try? self.anomalyDetails(db, "burst")) == "75 events in one minute (limit 50)" }
        let ending = p.stop()
        XCTAssertEqual(ending.status, 0, ending.stderr)

        let stored = try rows(db, "SELECT session_id, kind, at FROM anomalies ORDER BY 1, 2, 3").map { $0.map(\.description) }
        XCTAssertGreaterThan(stored.count, 1)
        let envelopes = try drain(queue)
        var alerted: [[String]] = []
        for e in envelopes {
            let message = try JSONSerialization.jsonObject(with: Data((e["Message"] as! String).utf8)) as! [String: String]
            let attributes = e["MessageAttributes"] as! [String: [String: String]]
            XCTAssertEqual(attributes["kind"]?["Value"], message["kind"])
            XCTAssertEqual(attributes["session_id"]?["Value"], message["session_id"])
            XCTAssertEqual(message["stream"], stream)
            alerted.append([message["session_id"]!, message["kind"]!, message["at"]!])
        }
        // Exactly one message per anomaly row: none missing, none twice (the burst included).
        XCTAssertEqual(alerted.sorted { $0.lexicographicallyPrecedes($1) }, stored)
        XCTAssertEqual(alerted.filter { $0[0] == "burst" }, [["burst", "high_frequency_clicks", "2025-07-03T05:00"]])
        let text = ending.stderr
        XCTAssertTrue(text.contains("alerts: \(stored.count) anomalies published to \(topic), 0 could not be sent"), text)
    }

    func anomalyDetails(_ db: String, _ session: String) throws -> String? {
        try rows(db, "SELECT details FROM anomalies WHERE session_id = '\(session)' AND kind = 'high_frequency_clicks'").first?.first?.description
    }

    func wait(_ timeout: Double, _ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while try !condition() {
            if Date() > deadline {
                XCTFail("timed out after \(timeout) s waiting for \(what)")
                throw CancellationError()
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }
}
