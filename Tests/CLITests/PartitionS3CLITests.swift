import AWSClient
import ClickstreamStore
import ClickstreamTestSupport
import Foundation
import XCTest

/// Parts on S3 through moto: each partition uploads its database (with its SHA-256) when it has committed, and
/// `merge s3://bucket/prefix/` downloads them, checks the set and merges it — equal to one clean pass.
final class PartitionS3CLITests: XCTestCase {
    var dir: TemporaryDirectory!
    var moto: MotoServer!
    var s3: S3Client!
    var bucket: String!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        moto = MotoServer.shared
        s3 = S3Client(transport: try AWSTransport(config: try AWSConfig.resolve(environment: moto.environment)))
        bucket = "parts-\(UInt32.random(in: 0...UInt32.max))"
        try s3.createBucket(bucket)
        let root = try PartitionArchive.write(in: dir)
        let files = FileManager.default.enumerator(atPath: root)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }
        for f in files {
            try s3.putObject(bucket: bucket, key: "archive/" + f, body: Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + f))))
        }
    }

    func run(_ args: [String], _ env: [String: String] = [:]) throws -> ClickstreamBinary.Result {
        try ClickstreamBinary.run(args, environment: moto.environment.merging(env) { $1 })
    }

    func replayPart(_ index: Int, db: String) throws -> ClickstreamBinary.Result {
        try run(["replay", "s3://\(bucket!)/archive", "--from", PartitionArchive.from, "--to", PartitionArchive.to, "--partition", "auto",
                 "--partitions", "4", "--db", db], ["JOB_COMPLETION_INDEX": "\(index)"])
    }

    func lineage(_ path: String) throws -> [[SQLValue]] {
        try Database(path: path, readOnly: true).prepare("SELECT bucket, key, etag, size, hour FROM _s3_objects ORDER BY key").rows()
    }

    func testPartsUploadedToS3MergeToOneCleanPass() throws {
        let clean = dir.url("clean.sqlite")
        XCTAssertEqual(try run(["replay", "s3://\(bucket!)/archive", "--from", PartitionArchive.from, "--to", PartitionArchive.to, "--db", clean]).status, 0)
        let expected = try PartitionArchive.tables(clean)
        XCTAssertEqual(expected["anomalies"]?.count, 3)

        for i in 0..<4 {
            // A prefix as --db: every partition gets the same argument and names its own object.
            let r = try replayPart(i, db: "s3://\(bucket!)/backfill/")
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains("uploaded s3://\(bucket!)/backfill/part-000\(i)-of-0004.sqlite (sha256 "), r.stderr)
            XCTAssertTrue(r.stdout.contains("written to s3://\(bucket!)/backfill/part-000\(i)-of-0004.sqlite in "), r.stdout)
        }
        // Each object carries its checksum, and its manifest.
        let stored = try s3.getObjectChecked(bucket: bucket, key: "backfill/part-0002-of-0004.sqlite")
        XCTAssertTrue(stored.checked)
        let local = try dir.write("p2.sqlite", bytes: stored.body)
        XCTAssertEqual(try Store.partitionManifest(atPath: local)?.index, 2)
        XCTAssertEqual(try Store.partitionManifest(atPath: local)?.sources, ["s3://\(bucket!)/archive"])

        let out = dir.url("merged.sqlite")
        let r = try run(["merge", "s3://\(bucket!)/backfill/", "--db", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try PartitionArchive.tables(out), expected)
        XCTAssertEqual(try lineage(out), try lineage(clean))
        // Merging the prefix again changes nothing.
        XCTAssertTrue(try run(["merge", "s3://\(bucket!)/backfill/", "--db", out]).stdout.contains("0 hours added, 0 replaced, 8 already there"))
        XCTAssertEqual(try PartitionArchive.tables(out), expected)
    }

    func testIncompleteOrDuplicatedPrefixIsRefusedAndAFailedUploadFailsThePartition() throws {
        for i in [0, 1, 3] { XCTAssertEqual(try replayPart(i, db: "s3://\(bucket!)/three/part-000\(i).sqlite").status, 0) }
        let out = dir.url("out.sqlite")
        let missing = try run(["merge", "s3://\(bucket!)/three/", "--db", out])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "error: merge: incomplete set of parts: missing 1 partition 2/4 of [2025-07-03T00:00:00.000Z, 2025-07-03T08:00:00.000Z); nothing was merged\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))

        for i in [0, 1, 2, 3] { XCTAssertEqual(try replayPart(i, db: "s3://\(bucket!)/dup/part-000\(i).sqlite").status, 0) }
        XCTAssertEqual(try replayPart(1, db: "s3://\(bucket!)/dup/retry-0001.sqlite").status, 0)
        let dup = try run(["merge", "s3://\(bucket!)/dup/", "--db", out])
        XCTAssertEqual(dup.status, 1)
        XCTAssertEqual(dup.stderr, "error: merge: partition 1/4 is present 2 times (s3://\(bucket!)/dup/part-0001.sqlite, s3://\(bucket!)/dup/retry-0001.sqlite): each partition must be in the prefix exactly once; nothing was merged\n")

        let failed = try replayPart(0, db: "s3://no-such-bucket-\(UInt32.random(in: 0...UInt32.max))/p/part-0000.sqlite")
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("\nerror: part s3://no-such-bucket-"), failed.stderr)
        XCTAssertFalse(failed.stdout.contains("Replayed"), failed.stdout) // no summary: the partition failed
        XCTAssertTrue(failed.stderr.contains("NoSuchBucket"), failed.stderr)
    }
}
