import ClickstreamStore
import ClickstreamTestSupport
import Foundation
import XCTest

/// The store under hostile conditions, through the real binary: a second writer through a symlink or a hard
/// link, readers while a writer opens and closes, empty and foreign databases, queries that try to write.
final class HostileStoreCLITests: XCTestCase {
    var dir: TemporaryDirectory!
    let root = FileManager.default.currentDirectoryPath

    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    func run(_ args: [String], env: [String: String] = [:]) throws -> ClickstreamBinary.Result {
        try ClickstreamBinary.run(args, in: dir.path, environment: env)
    }

    /// A demo archive of `events` events in hour 2025-07-03T00 (its database thrown away).
    func archive(events: Int) throws {
        let demo = try run(["demo", "--events", "\(events)", "--hours", "1", "--dir", "arch", "--db", "scratch.sqlite", "-q"])
        XCTAssertEqual(demo.status, 0, demo.stderr)
    }

    /// Every result table's rows, in a fixed order (the runs table aside: it records the runs themselves).
    func tables(_ db: String) throws -> [String: [[SQLValue]]] {
        let d = try Database(path: db, readOnly: true)
        var out: [String: [[SQLValue]]] = [:]
        for t in ["page_metrics", "session_metrics", "counters", "anomalies"] {
            out[t] = try d.prepare("SELECT * FROM \(t) ORDER BY 1, 2, 3").rows()
        }
        // Quarantine ids follow the order parsing finished in, which parallel parsing does not fix.
        out["quarantine"] = try d.prepare("SELECT source, location, reason, message FROM quarantine ORDER BY 1, 2, 3").rows()
        return out
    }

    let window = ["--from", "2025-07-03", "--to", "2025-07-04"]

    static func isFlocked(_ path: String) -> Bool {
        let f = open(path, O_RDONLY)
        guard f >= 0 else { return false }
        defer { close(f) }
        return flock(f, LOCK_SH | LOCK_NB) != 0
    }

    // MARK: item 1: the writer lock is on the file

    func testASecondWriterThroughASymlinkOrAHardLinkIsRefusedAndCannotDoubleCount() throws {
        try archive(events: 60_000)
        // The second writers' own archive is one small file: they reach the lock at once.
        try dir.write("tiny/year=2025/month=7/day=3/hour=5/a.json", "{\"event_type\":\"click\",\"session_id\":\"t\",\"timestamp\":\"2025-07-03T05:00:01Z\"}\n")
        // The reference: one clean run.
        XCTAssertEqual(try run(["replay", "arch"] + window + ["--db", "clean.sqlite", "-q"]).status, 0)
        let clean = try tables(dir.url("clean.sqlite"))
        XCTAssertGreaterThan(clean["page_metrics"]!.count, 10)

        let first = Process()
        first.executableURL = URL(fileURLWithPath: ClickstreamBinary.path)
        first.arguments = ["replay", "arch"] + window + ["--db", "real.sqlite", "-q"]
        first.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        // The same file under two more names, made before the first writer starts (it creates the file).
        FileManager.default.createFile(atPath: dir.url("real.sqlite"), contents: nil)
        try FileManager.default.createSymbolicLink(atPath: dir.url("sym.sqlite"), withDestinationPath: dir.url("real.sqlite"))
        try FileManager.default.linkItem(atPath: dir.url("real.sqlite"), toPath: dir.url("hard.sqlite"))
        try first.run()
        // Wait until it holds the lock (after listing its archive): the database file is flocked.
        let deadline = Date().addingTimeInterval(60)
        while Self.isFlocked(dir.url("real.sqlite")) == false && first.isRunning && Date() < deadline { usleep(2_000) }
        let viaSymlink = try run(["replay", "tiny"] + window + ["--db", "sym.sqlite"])
        let viaHardLink = try run(["replay", "tiny"] + window + ["--db", "hard.sqlite"])
        let sameName = try run(["replay", "tiny"] + window + ["--db", "real.sqlite"])
        XCTAssertTrue(first.isRunning, "the first writer must still be running for this test to mean anything")
        first.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 0)

        XCTAssertEqual(viaSymlink.status, 2, viaSymlink.stderr)
        XCTAssertEqual(viaSymlink.stderr, "error: database sym.sqlite is in use by another clickstream process (pid \(first.processIdentifier), "
                       + "replay); wait for it to finish or stop it\n")
        XCTAssertEqual(viaHardLink.status, 2, viaHardLink.stderr)
        XCTAssertEqual(viaHardLink.stderr, "error: database hard.sqlite is in use by another clickstream process (pid unknown: the same "
                       + "database file is held under another name (a hard link)); wait for it to finish or stop it\n")
        XCTAssertEqual(sameName.status, 2, sameName.stderr)
        XCTAssertEqual(viaSymlink.stdout + viaHardLink.stdout + sameName.stdout, "")
        // One run's worth, not two or three.
        let got = try tables(dir.url("real.sqlite"))
        XCTAssertEqual(got.count, clean.count)
        for (t, rows) in clean { XCTAssertEqual(got[t]?.count, rows.count, t); XCTAssertTrue(got[t] == rows, t) }
        XCTAssertEqual(try Database(path: dir.url("hard.sqlite"), readOnly: true).scalarInt("SELECT count(*) FROM runs"), 1)
    }

    func testAnInProcessHolderRefusesBothLinks() throws {
        let db = dir.url("a.sqlite")
        let held = try StoreLock(databasePath: db, command: "test holder")
        try FileManager.default.createSymbolicLink(atPath: dir.url("s.sqlite"), withDestinationPath: db)
        try FileManager.default.linkItem(atPath: db, toPath: dir.url("h.sqlite"))
        XCTAssertThrowsError(try StoreLock(databasePath: dir.url("s.sqlite"), command: "x")) { e in
            XCTAssertEqual(e as? StoreLockError, .held(databasePath: dir.url("s.sqlite"), owner: "pid \(getpid()), test holder"))
        }
        XCTAssertThrowsError(try StoreLock(databasePath: dir.url("h.sqlite"), command: "x")) { e in
            XCTAssertTrue((e as? StoreLockError)?.isHeld ?? false, "\(e)")
        }
        withExtendedLifetime(held) {}
        _ = consume held
        XCTAssertNoThrow(try StoreLock(databasePath: dir.url("h.sqlite"), command: "x"))
    }

    // MARK: item 4: readers

    func testTwoHundredReadersWhileAWriterOpensAndClosesAllSucceed() throws {
        try archive(events: 300)
        XCTAssertEqual(try run(["replay", "arch"] + window + ["--db", "c.sqlite", "-q"]).status, 0)
        let stop = LockedFlag()
        let writes = LockedCounter()
        let writer = Thread { [dir, window] in
            while !stop.value {
                // Each run opens the database, rebuilds the window in one transaction and closes it (checkpoint).
                let r = try? ClickstreamBinary.run(["replay", "arch"] + window + ["--rebuild", "--db", "c.sqlite", "-q"], in: dir!.path)
                if r?.status == 0 { writes.add() } else { XCTFail("writer: \(r?.stderr ?? "did not run")") }
            }
        }
        writer.start()
        // 200 calls, four at a time, so that some land on the writer's open and close.
        let failures = LockedList()
        let root = self.root, path = dir.path
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            for i in 0..<50 {
                let args = (i + t) % 2 == 0
                    ? ["query", "top-pages", "--param", "day=2025-07-03", "--format", "csv", "--db", "c.sqlite", "--queries-dir", root + "/queries"]
                    : ["status", "--format", "csv", "--db", "c.sqlite"]
                guard let r = try? ClickstreamBinary.run(args, in: path) else { failures.append("\(args[0]) did not run"); continue }
                if r.status != 0 || !r.stderr.isEmpty || r.stdout.split(separator: "\n").count < 2 {
                    failures.append("\(args[0]) exit \(r.status): \(r.stderr)")
                }
            }
        }
        stop.set()
        while writer.isExecuting || !writer.isFinished { usleep(10_000) }
        XCTAssertEqual(failures.values, [])
        XCTAssertGreaterThanOrEqual(writes.value, 3, "the writer must have opened and closed the database during the reads")
    }

    func testAFileThatIsNotADatabaseExitsOneNamingIt() throws {
        try dir.write("bad.sqlite", String(repeating: "not a database ", count: 20))
        let q = try run(["query", "top-pages", "--param", "day=2025-07-03", "--db", "bad.sqlite", "--queries-dir", root + "/queries"])
        XCTAssertEqual(q.status, 1)
        XCTAssertEqual(q.stderr, "error: database bad.sqlite: SQLite error 26: file is not a database (bad.sqlite)\n")
        let s = try run(["status", "--db", "bad.sqlite"])
        XCTAssertEqual(s.status, 1)
        XCTAssertEqual(s.stderr, "error: database bad.sqlite: SQLite error 26: file is not a database (bad.sqlite)\n")
    }

    /// As root a chmod'ed folder is still writable, so the folder is made read-only with a read-only bind mount
    /// in a private mount namespace (`unshare -m`); without it the test is skipped.
    func testADatabaseInAReadOnlyFolderIsStillReadable() throws {
        try archive(events: 300)
        try FileManager.default.createDirectory(atPath: dir.url("ro"), withIntermediateDirectories: true)
        XCTAssertEqual(try run(["replay", "arch"] + window + ["--db", "ro/c.sqlite", "-q"]).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.url("ro/c.sqlite-wal")), "closed cleanly")
        let bin = ClickstreamBinary.path
        let script = """
            mount --bind ro ro && mount -o remount,ro,bind ro || exit 99
            touch ro/probe 2>/dev/null && exit 98
            '\(bin)' query top-pages --param day=2025-07-03 --format csv --db ro/c.sqlite --queries-dir '\(root)/queries' > q.out 2> q.err; echo "query $?"
            '\(bin)' status --format csv --db ro/c.sqlite > s.out 2> s.err; echo "status $?"
            '\(bin)' replay arch --from 2025-07-03 --to 2025-07-04 --db ro/c.sqlite -q 2> r.err; echo "replay $?"
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        p.arguments = ["-m", "sh", "-c", script]
        p.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare"),
              let out = try? ProcessOutput.run(p, input: nil), out.status != 99, out.status != 98 else {
            throw XCTSkip("no read-only bind mount here (unshare -m needs CAP_SYS_ADMIN)")
        }
        XCTAssertEqual(String(decoding: out.stdout, as: UTF8.self), "query 0\nstatus 0\nreplay 1\n")
        let expected = try run(["query", "top-pages", "--param", "day=2025-07-03", "--format", "csv", "--db", "ro/c.sqlite",
                                "--queries-dir", root + "/queries"]).stdout
        XCTAssertEqual(try String(contentsOfFile: dir.url("q.out"), encoding: .utf8), expected)
        XCTAssertGreaterThan(expected.split(separator: "\n").count, 2)
        XCTAssertEqual(try String(contentsOfFile: dir.url("q.err"), encoding: .utf8), "")
        XCTAssertTrue(try String(contentsOfFile: dir.url("s.out"), encoding: .utf8).hasPrefix("run_id,command,status"))
        XCTAssertEqual(try String(contentsOfFile: dir.url("r.err"), encoding: .utf8),
                       "error: cannot create or open the database file ro/c.sqlite to lock it: Read-only file system\n")
    }

    // MARK: item 9: empty and foreign databases, queries that would write

    func testAnEmptyDbIsRefused() throws {
        try archive(events: 100)
        for args in [["replay", "arch"] + window + ["--db", ""], ["query", "top-pages", "--db", ""], ["status", "--db", ""]] {
            let r = try run(args)
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertEqual(r.stderr, "error: --db must name a file. (see --help)\n")
            XCTAssertEqual(r.stdout, "")
        }
    }

    func testAForeignDatabaseIsRefusedUnlessInit() throws {
        try archive(events: 300)
        let path = dir.url("theirs.sqlite")
        do {
            let d = try Database(path: path)
            try d.execute("PRAGMA journal_mode = DELETE; CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'ann')")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let r = try run(["replay", "arch"] + window + ["--db", "theirs.sqlite"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: database theirs.sqlite: theirs.sqlite is an SQLite database that clickstream did not make (it has "
                       + "tables users); nothing was changed. Name a new file, or pass --init to add clickstream's tables to it (and switch it to WAL)\n")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "byte for byte unchanged, journal mode included")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
        let i = try run(["replay", "arch"] + window + ["--db", "theirs.sqlite", "--init", "-q"])
        XCTAssertEqual(i.status, 0, i.stderr)
        let d = try Database(path: path, readOnly: true)
        XCTAssertEqual(try d.prepare("SELECT name FROM users").rows(), [[.text("ann")]])
        XCTAssertGreaterThan(try d.scalarInt("SELECT sum(view_count) FROM page_metrics") ?? 0, 100)
        // Ours from now on: no --init needed again.
        XCTAssertEqual(try run(["replay", "arch"] + window + ["--db", "theirs.sqlite", "-q"]).status, 0)
    }

    func testAQueryFileMayOnlyReadAndHoldOneStatement() throws {
        try archive(events: 300)
        XCTAssertEqual(try run(["replay", "arch"] + window + ["--db", "c.sqlite", "-q"]).status, 0)
        let before = try tables(dir.url("c.sqlite"))
        let cases: [(String, String)] = [
            ("VACUUM INTO 'stolen.sqlite';", "queries may only read; VACUUM is not allowed"),
            ("ATTACH 'other.sqlite' AS o;", "queries may only read; ATTACH 'other.sqlite' is not allowed"),
            ("DELETE FROM page_metrics;", "queries may only read; DELETE from page_metrics is not allowed"),
            ("INSERT INTO runs (command) SELECT 'x';", "queries may only read; INSERT into runs is not allowed"),
            ("PRAGMA journal_mode = DELETE;", "queries may only read; PRAGMA journal_mode is not allowed"),
            ("CREATE TABLE t (x);", "queries may only read; CREATE TABLE t is not allowed"),
            ("SELECT 1 AS a; DELETE FROM page_metrics;", "a query must be one statement; found another after the first: DELETE FROM page_metrics"),
            ("SELECT 1 AS a; SELECT 2 AS b;", "a query must be one statement; found another after the first: SELECT 2 AS b"),
        ]
        for (i, (sql, message)) in cases.enumerated() {
            try dir.write("q\(i).sql", sql + "\n")
            let r = try run(["query", "./q\(i).sql", "--db", "c.sqlite"])
            XCTAssertEqual(r.status, 2, sql)
            XCTAssertEqual(r.stderr, "error: Query 'q\(i)' refused: \(message).\n", sql)
            XCTAssertEqual(r.stdout, "", sql)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.url("stolen.sqlite")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.url("other.sqlite")))
        XCTAssertEqual(try tables(dir.url("c.sqlite")), before)
        // A read with a trailing comment and blank lines is one statement.
        try dir.write("ok.sql", "SELECT count(*) AS n FROM runs; -- the runs so far\n\n")
        let ok = try run(["query", "./ok.sql", "--format", "csv", "--db", "c.sqlite"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.stdout, "n\n1\n")
    }
}

final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var v = false
    var value: Bool { lock.lock(); defer { lock.unlock() }; return v }
    func set() { lock.lock(); v = true; lock.unlock() }
}

final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var v: [String] = []
    var values: [String] { lock.lock(); defer { lock.unlock() }; return v }
    func append(_ s: String) { lock.lock(); v.append(s); lock.unlock() }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var v = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return v }
    func add() { lock.lock(); v += 1; lock.unlock() }
}
