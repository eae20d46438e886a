import AWSClient
import ClickstreamCore
import ClickstreamRuns
import ClickstreamTestSupport
import Foundation
import XCTest

/// `replay --metrics cloudwatch` against moto's CloudWatch, read back with boto3's GetMetricStatistics.
final class CloudWatchMetricsTests: XCTestCase {
    var moto: MotoServer { MotoServer.shared }

    func testEventsProcessedSumsEqualTheEventsPerTypeAndOldMinutesAreSkipped() throws {
        let dir = try TemporaryDirectory()
        // Recent events (CloudWatch takes two weeks back at most): 200 minutes from four hours ago, six types in
        // every minute, so 1,200 data points, more than one PutMetricData call takes (1,000). Plus one event three
        // weeks ago that CloudWatch would refuse.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let base = (now - 4 * 3_600_000) / 60_000 * 60_000
        let types = ["page_view", "click", "add_to_cart", "search", "scroll", "checkout"]
        var lines: [String] = []
        var expected: [String: Int] = [:]
        for i in 0..<1_200 {
            let type = types[i % 6]
            expected[type, default: 0] += 1
            lines.append(eventLine(type, session: "s\(i % 40)", at: base + Int64(i) * 10_000, page: "/p\(i % 7)"))
        }
        let old = base - 21 * 24 * 3_600_000
        lines.append(eventLine("click", session: "old", at: old))
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir.url("events.ndjson"), atomically: true, encoding: .utf8)

        let from = Timestamp.instant(old - 3_600_000), to = Timestamp.instant(now + 60_000)
        let r = try ClickstreamBinary.run(["replay", "events.ndjson", "--from", from, "--to", to, "--db", "c.sqlite",
                                           "--metrics", "cloudwatch"], in: dir.path, environment: moto.environment)
        XCTAssertEqual(r.status, 0, r.stderr)
        // 1,200 (type, minute) data points in two calls, the health in one; the old minute is counted, not sent.
        XCTAssertTrue(r.stderr.contains("CloudWatch: 1,200 EventsProcessed data points and 4 health metrics sent in 3 calls; "
                                        + "1 minute older than two weeks not sent (CloudWatch refuses them)"), r.stderr)

        XCTAssertEqual(try sums(Array(expected.keys), from: base - 60_000, to: now + 3_600_000), expected)
    }

    func testTheDashboardIsPrintedAndPut() throws {
        let dir = try TemporaryDirectory()
        let printed = try ClickstreamBinary.run(["report", "--cloudwatch-dashboard", "ops"], in: dir.path, environment: moto.environment)
        XCTAssertEqual(printed.status, 0, printed.stderr)
        let body = try JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as! [String: [[String: Any]]]
        let titles = body["widgets"]!.map { ($0["properties"] as! [String: Any])["title"] as! String }
        XCTAssertEqual(titles, ["Events processed by type (live and backfilled)", "Kinesis throughput", "Lambda performance",
                                "clickstream runs: events per second", "clickstream runs: duration, duplicates",
                                "clickstream runs: quarantined by reason"])
        XCTAssertTrue(printed.stdout.contains(#"SEARCH('{Clickstream/Events,EventType} MetricName=\"EventsProcessed\"', 'Sum', 60)"#), printed.stdout)

        let name = "ops-\(UInt32.random(in: 0...UInt32.max))"
        let put = try ClickstreamBinary.run(["report", "--cloudwatch-dashboard", name, "--put"], in: dir.path, environment: moto.environment)
        XCTAssertEqual(put.status, 0, put.stderr)
        XCTAssertEqual(put.stdout, "dashboard \(name) created or replaced in us-east-1\n")
        let stored = try Boto3.run("""
            print(json.dumps(client("cloudwatch").get_dashboard(DashboardName=args["name"])["DashboardBody"]))
            """, args: ["name": name], environment: moto.environment) as! String
        XCTAssertEqual(stored, printed.stdout.trimmingCharacters(in: .newlines))
    }

    /// Sums of `EventsProcessed` per type between two instants (boto3, GetMetricStatistics, per minute).
    func sums(_ types: [String], from: Int64, to: Int64) throws -> [String: Int] {
        let out = try Boto3.run("""
            cw = client("cloudwatch"); out = {}
            import datetime
            start = datetime.datetime.fromtimestamp(args["from"] / 1000, datetime.timezone.utc)
            end = datetime.datetime.fromtimestamp(args["to"] / 1000, datetime.timezone.utc)
            for t in args["types"]:
                points = cw.get_metric_statistics(Namespace="Clickstream/Events", MetricName="EventsProcessed",
                    Dimensions=[{"Name": "EventType", "Value": t}], StartTime=start, EndTime=end, Period=60, Statistics=["Sum"])["Datapoints"]
                out[t] = sum(p["Sum"] for p in points)
            print(json.dumps(out))
            """, args: ["from": from, "to": to, "types": types], environment: moto.environment) as! [String: Double]
        return out.mapValues { Int($0) }
    }

    func testTheStreamPublishesWhatItCommittedOnce() throws {
        let dir = try TemporaryDirectory()
        let kinesis = KinesisClient(transport: try AWSTransport(config: AWSConfig.resolve(environment: moto.environment)))
        let stream = "metrics-\(UInt32.random(in: 0...UInt32.max))"
        try kinesis.createStream(stream, shardCount: 2)
        // Event types of their own, so other tests' data points in the shared moto do not count here.
        let types = ["sv_\(stream.suffix(6))", "sc_\(stream.suffix(6))"]
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let base = (now - 3_600_000) / 60_000 * 60_000
        let first = (0..<200).map { i in (ms: base + Int64(i) * 3_000, line: eventLine(types[i % 2], session: "s\(i % 30)", at: base + Int64(i) * 3_000)) }
        let second = (200..<300).map { i in (ms: base + Int64(i) * 3_000, line: eventLine(types[i % 2], session: "s\(i % 30)", at: base + Int64(i) * 3_000)) }
        let db = dir.url("live.sqlite")
        func waitFor(_ n: Int64) {
            let deadline = Date(timeIntervalSinceNow: 30)
            while storedEvents(db) != n && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
            XCTAssertEqual(storedEvents(db), n)
        }
        // Two runs of the consumer: the restart must not publish the first run's minutes again.
        for (batch, total) in [(first, Int64(200)), (second, Int64(300))] {
            let p = try ClickstreamBinary.start(["stream", "kinesis://\(stream)", "--start", "trim-horizon", "--db", db, "--status-interval", "0",
                                                 "--metrics", "cloudwatch", "--metrics-interval", "1"], environment: moto.environment)
            try StreamTests.put(kinesis, stream, batch[...], batch: 100)
            waitFor(total)
            Thread.sleep(forTimeInterval: 1.5)  // one more interval after the last commit
            let ending = p.stop()
            XCTAssertEqual(ending.status, 0, ending.stderr)
            XCTAssertTrue(ending.stderr.contains("data points sent to CloudWatch, 0 calls failed"), ending.stderr)
        }
        XCTAssertEqual(try sums(types, from: base - 60_000, to: now + 60_000), [types[0]: 150, types[1]: 150])
    }
}
