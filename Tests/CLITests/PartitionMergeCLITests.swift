import ClickstreamStore
import ClickstreamTestSupport
import Foundation
import XCTest

/// `replay --partition` as separate processes (as a Kubernetes Indexed Job or an AWS Batch array job runs them),
/// then `merge`: every table equals one clean pass over the whole window, merging is idempotent and
/// order-independent, and sets that cannot compose are refused.
final class PartitionMergeCLITests: XCTestCase {
    var dir: TemporaryDirectory!
    var archive: String!
    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        archive = try PartitionArchive.write(in: dir)
    }

    func clean() throws -> String {
        let db = dir.url("clean.sqlite")
        let r = try ClickstreamBinary.run(["replay", archive, "--from", PartitionArchive.from, "--to", PartitionArchive.to, "--db", db])
        XCTAssertEqual(r.status, 0, r.stderr)
        return db
    }

    /// Runs the 4 partitions at once, each its own process with its own environment; returns their databases.
    func partitions(environment: (Int) -> [String: String], extra: [String] = [], name: String) throws -> [String] {
        let dbs = (0..<4).map { dir.url("\(name)-\($0).sqlite") }
        let results = LockedResults(count: 4)
        let commands = (0..<4).map { i in
            (["replay", archive!, "--from", PartitionArchive.from, "--to", PartitionArchive.to, "--partition", "auto", "--db", dbs[i]] + extra,
             environment(i))
        }
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            results.set(i, try? ClickstreamBinary.run(commands[i].0, environment: commands[i].1))
        }
        for i in 0..<4 {
            let r = try XCTUnwrap(results.get(i))
            XCTAssertEqual(r.status, 0, r.stderr)
            if i == 2 {
                XCTAssertTrue(r.stderr.contains("partition 2/4") && r.stderr.contains("replaying [2025-07-03T04:00:00.000Z, 2025-07-03T06:00:00.000Z) of [2025-07-03T00:00:00.000Z, 2025-07-03T08:00:00.000Z)"), r.stderr)
            }
        }
        return dbs
    }

    func merge(_ parts: [String], into out: String) throws -> ClickstreamBinary.Result {
        try ClickstreamBinary.run(["merge"] + parts + ["--db", out])
    }

    func testFourKubernetesPartitionsMergeToOneCleanPass() throws {
        let expected = try PartitionArchive.tables(try clean())
        // The fixture exercises what it claims: the anomalies of one clean pass, by real values.
        XCTAssertEqual(expected["anomalies"], [
            [.text("burst"), .text("high_frequency_clicks"), .text("2025-07-03T05:59"), .text("55 events in one minute (limit 50)")],
            [.text("edge2"), .text("unusual_page_sequence"), .text("2025-07-03T04:00:01.000Z"), .text("checkout page view with 2 earlier events in the session")],
            [.text("span"), .text("suspicious_user_agent"), .text("2025-07-03T02:30:00.000Z"), .text("user agent \"Googlebot/2.1\" looks like a bot")],
        ].map { $0 }, "\(expected["anomalies"]!)")
        XCTAssertEqual(expected["session_metrics"]?.first { $0.first == .text("span") },
                       [.text("span"), .integer(24), .text("2025-07-03T00:10:00.000Z"), .text("2025-07-03T07:50:00.000Z"), .text("Safari/17")])
        XCTAssertEqual(expected["quarantine"]?.count, 3)

        let parts = try partitions(environment: { ["JOB_COMPLETION_INDEX": "\($0)"] }, extra: ["--partitions", "4"], name: "k8s")
        // Each part records its partition, the whole window and the sources.
        let m = try XCTUnwrap(try Store.partitionManifest(atPath: parts[1]))
        XCTAssertEqual(m, PartitionManifest(index: 1, count: 4, window: 1_751_500_800_000..<1_751_529_600_000,
                                            range: 1_751_508_000_000..<1_751_515_200_000, sources: [archive]))
        // A part alone gets the boundary checkout wrong (it cannot see partition 0): the merge must fix it.
        let alone = try Database(path: parts[1], readOnly: true).prepare("SELECT session_id FROM anomalies WHERE kind = 'unusual_page_sequence'").rows()
        XCTAssertEqual(alone, [[.text("edge")]])

        let out = dir.url("merged.sqlite")
        let r = try merge(parts, into: out)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Merged 4 parts (4 partitions of [2025-07-03T00:00:00.000Z, 2025-07-03T08:00:00.000Z)) into \(out): 8 hours added, 0 replaced, 0 already there"), r.stdout)
        let merged = try PartitionArchive.tables(out)
        for (table, rows) in expected { XCTAssertEqual(merged[table], rows, "table \(table)") }

        // runs: the four replays (once each) and the merge, whose distinct_new is the clean pass's.
        let cleanDistinct = try Database(path: dir.url("clean.sqlite"), readOnly: true).scalarInt("SELECT distinct_new FROM runs")
        let runs = try Database(path: out, readOnly: true).prepare("SELECT command, window_from, window_to, status, distinct_new FROM runs ORDER BY run_id").rows()
        XCTAssertEqual(runs.map { $0[0] }, [.text("merge"), .text("replay"), .text("replay"), .text("replay"), .text("replay")])
        XCTAssertEqual(runs[0][4], .integer(cleanDistinct!))
        XCTAssertEqual(runs.dropFirst().reduce(Int64(0)) { if case .integer(let n) = $1[4] { return $0 + n }; return $0 }, cleanDistinct)

        // Again: nothing changes, and the parts' runs are not copied twice.
        let again = try merge(parts.reversed(), into: out)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("0 hours added, 0 replaced, 8 already there; 0 new distinct events"), again.stdout)
        XCTAssertEqual(try PartitionArchive.tables(out), merged)
        XCTAssertEqual(try Database(path: out, readOnly: true).scalarInt("SELECT count(*) FROM runs WHERE command = 'replay'"), 4)

        // Any order, a part given twice, into a fresh database: the same tables.
        let shuffled = dir.url("shuffled.sqlite")
        XCTAssertEqual(try merge([parts[2], parts[0], parts[3], parts[0], parts[1]], into: shuffled).status, 0)
        XCTAssertEqual(try PartitionArchive.tables(shuffled), expected)

        // Into a database that already holds an overlapping replay (hours 03:00-06:30): the same tables.
        let overlapping = dir.url("overlap.sqlite")
        XCTAssertEqual(try ClickstreamBinary.run(["replay", archive, "--from", "2025-07-03T03:00:00Z", "--to", "2025-07-03T06:30:00Z", "--db", overlapping]).status, 0)
        let o = try merge(parts, into: overlapping)
        XCTAssertEqual(o.status, 0, o.stderr)
        XCTAssertTrue(o.stdout.contains("4 hours added, 1 replaced, 3 already there"), o.stdout) // hours 03-05 held; 06 held only to 06:30
        XCTAssertEqual(try PartitionArchive.tables(overlapping), expected)
    }

    func testAWSBatchArrayPartitionsMergeToOneCleanPass() throws {
        let expected = try PartitionArchive.tables(try clean())
        let parts = try partitions(environment: { ["AWS_BATCH_JOB_ARRAY_INDEX": "\($0)", "AWS_BATCH_JOB_ARRAY_SIZE": "4"] }, name: "batch")
        let first = try ClickstreamBinary.run(["replay", archive, "--from", PartitionArchive.from, "--to", PartitionArchive.to, "--partition", "auto",
                                               "--db", dir.url("again.sqlite")], environment: ["AWS_BATCH_JOB_ARRAY_INDEX": "3", "AWS_BATCH_JOB_ARRAY_SIZE": "4"])
        XCTAssertTrue(first.stderr.contains("partition 3/4 (AWS_BATCH_JOB_ARRAY_INDEX=3 of AWS_BATCH_JOB_ARRAY_SIZE=4 (AWS Batch array job))"), first.stderr)
        let out = dir.url("merged.sqlite")
        let r = try merge(parts, into: out)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try PartitionArchive.tables(out), expected)
    }

    func testIncompleteOrForeignSetsAreRefusedAndNothingIsMerged() throws {
        let parts = (0..<4).map { dir.url("p\($0).sqlite") }
        for i in [0, 1, 3] {
            let r = try ClickstreamBinary.run(["replay", archive, "--from", PartitionArchive.from, "--to", PartitionArchive.to,
                                               "--partition", "\(i)/4", "--db", parts[i]])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let out = dir.url("out.sqlite")
        let r = try merge([parts[0], parts[1], parts[3]], into: out)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "error: merge: incomplete set of parts: missing 1 partition 2/4 of [2025-07-03T00:00:00.000Z, 2025-07-03T08:00:00.000Z); nothing was merged\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))

        // A partition of another archive (other sources) does not compose.
        let other = try PartitionArchive.write(in: dir, root: "other")
        XCTAssertEqual(try ClickstreamBinary.run(["replay", other, "--from", PartitionArchive.from, "--to", PartitionArchive.to,
                                                  "--partition", "2/4", "--db", parts[2]]).status, 0)
        let foreign = try merge(parts, into: out)
        XCTAssertEqual(foreign.status, 1)
        XCTAssertTrue(foreign.stderr.hasPrefix("error: merge: parts of different backfills cannot be merged: \(parts[0]) is partition 0/4 of [2025-07-03T00:00:00.000Z, 2025-07-03T08:00:00.000Z) from \(archive!), \(parts[2]) is partition 2/4 of"), foreign.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))

        // The partition's own database cannot be reused for another partition.
        let reuse = try ClickstreamBinary.run(["replay", archive, "--from", PartitionArchive.from, "--to", PartitionArchive.to,
                                               "--partition", "1/4", "--db", parts[0]])
        XCTAssertEqual(reuse.status, 2)
        XCTAssertTrue(reuse.stderr.contains("already holds partition 0/4"), reuse.stderr)
    }

    func testPartitionArgumentsAreChecked() throws {
        for (args, env, message) in [
            (["--partition", "4/4"], [String: String](), "error: --partition INDEX must be between 0 and 3 for COUNT 4, not 4"),
            (["--partition", "two"], [:], "error: --partition must be INDEX/COUNT (like 3/8) or auto, not 'two'"),
            (["--partition", "0/9"], [:], "error: --partition COUNT 9 is more than the window's 8 whole hours: a partition is at least one hour, use COUNT <= 8"),
            (["--partition", "auto"], ["JOB_COMPLETION_INDEX": "1"], "error: --partition auto: JOB_COMPLETION_INDEX=1 is set (Kubernetes Indexed Job) but the count is not: add --partitions N, the Job's completions"),
            (["--partition", "auto"], [:], "error: --partition auto: neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job) is set: give --partition INDEX/COUNT"),
            (["--partition", "auto"], ["AWS_BATCH_JOB_ARRAY_INDEX": "x"], "error: AWS_BATCH_JOB_ARRAY_INDEX: must be a whole number, not 'x'"),
        ] {
            let r = try ClickstreamBinary.run(["replay", archive, "--from", PartitionArchive.from, "--to", PartitionArchive.to,
                                               "--db", dir.url("x.sqlite")] + args, environment: env)
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertEqual(r.stderr, message + "\n", "\(args)")
        }
        let s3 = try ClickstreamBinary.run(["replay", archive, "--from", PartitionArchive.from, "--db", "s3://b/p/part.sqlite"])
        XCTAssertEqual(s3.stderr, "error: --db s3://… is for a partition's database: add --partition INDEX/COUNT or --partition auto. (see --help)\n")
    }
}

/// Results from concurrent runs, one slot each.
final class LockedResults: @unchecked Sendable { // every access holds `lock`
    private let lock = NSLock()
    private var slots: [ClickstreamBinary.Result?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: ClickstreamBinary.Result?) { lock.lock(); slots[i] = r; lock.unlock() }
    func get(_ i: Int) -> ClickstreamBinary.Result? { lock.lock(); defer { lock.unlock() }; return slots[i] }
}
