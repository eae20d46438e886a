import AWSClient
import ClickstreamCore
import ClickstreamJobs
import ClickstreamPipeline
@testable import ClickstreamRuns
import ClickstreamStore
import ClickstreamTestSupport
import Foundation
@testable import SourceKinesis
import Synchronization
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `clickstream stream` / `LiveStream` against moto_server: crashes, reshards, expired iterators, shutdown, the
/// one-consumer lock. Each test compares the final contract tables with one clean replay of every event put.
final class StreamTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory(prefix: "stream-tests") }

    var moto: MotoServer { MotoServer.shared }

    func makeKinesis() throws -> KinesisClient {
        KinesisClient(transport: try AWSTransport(config: AWSConfig.resolve(environment: moto.environment)))
    }

    func newStream(shards: Int) throws -> (KinesisClient, String) {
        let kinesis = try makeKinesis()
        let name = "live-\(UInt32.random(in: 0...UInt32.max))"
        try kinesis.createStream(name, shardCount: shards)
        return (kinesis, name)
    }

    /// Puts `events` (one JSON event per record) in PutRecords batches; returns the highest sequence number per shard.
    @discardableResult
    static func put(_ kinesis: KinesisClient, _ stream: String, _ events: ArraySlice<(ms: Int64, line: String)>, batch: Int = 50,
             pause: Double = 0) throws -> [String: String] {
        var last: [String: String] = [:]
        var i = events.startIndex
        while i < events.endIndex {
            let chunk = events[i..<min(i + batch, events.endIndex)]
            let results = try kinesis.putRecords(stream: stream, chunk.enumerated().map { k, e in
                KinesisPutRecordsEntry(data: Array(e.line.utf8), partitionKey: "p\((i + k) % 101)")
            })
            for r in results {
                XCTAssertNil(r.errorCode)
                if let shard = r.shardId, let seq = r.sequenceNumber { last[shard] = seq }
            }
            i += batch
            if pause > 0 { Thread.sleep(forTimeInterval: pause) }
        }
        return last
    }

    /// The reference: one clean replay of every event as a local archive.
    func referenceDB(_ events: [(ms: Int64, line: String)]) throws -> String {
        let archive = try writeArchive(dir, events, root: "reference-archive", parts: 3)
        let db = dir.url("reference.sqlite")
        try replay([archive], from: day0 - hourMs, to: day0 + 8 * hourMs, db: db)
        return db
    }

    func tablesEqual(_ a: String, _ b: String) -> Bool {
        guard let ta = try? contractTables(a), let tb = try? contractTables(b) else { return false }
        return ta == tb
    }

    func waitUntil(_ timeout: Double, _ what: String, _ condition: () -> Bool) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while !condition() {
            if Date() > deadline {
                XCTFail("timed out after \(timeout) s waiting for \(what)")
                return
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// A value written by one thread and read by the test after joining it.
    final class Box<T: Sendable>: Sendable {
        private let _value: Mutex<T>
        init(_ v: T) { _value = Mutex(v) }
        var value: T {
            get { _value.withLock { $0 } }
            set { _value.withLock { $0 = newValue } }
        }
    }

    // MARK: the real binary

    static let binary: String = {
        var candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for b in Bundle.allBundles where b.bundlePath.hasSuffix(".xctest") { candidates.append(b.bundleURL.deletingLastPathComponent()) }
        for c in candidates {
            let path = c.appendingPathComponent("clickstream").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return ".build/debug/clickstream"
    }()

    func consumer(_ stream: String, db: String, start: String = "trim-horizon", log: String, extra: [String] = []) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["stream", "kinesis://\(stream)", "--start", start, "--db", db, "--status-interval", "1"] + extra
        p.environment = ProcessInfo.processInfo.environment.merging(moto.environment) { $1 }
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = FileHandle(forWritingAtPath: log)!
        handle.seekToEndOfFile()
        p.standardError = handle
        p.standardOutput = handle
        try p.run()
        return p
    }

    func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    func checkpoints(_ db: String, _ stream: String) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try rows(db, "SELECT shard_id, sequence_number FROM _checkpoints WHERE stream = '\(stream)'")
            .map { ($0[0].description, $0[1].description) })
    }

    // MARK: (a) + (c): SIGKILL three times while a producer writes, then SIGTERM

    func testSigkilledThreeTimesWhileProducingEqualsOneCleanReplayAndSigtermCommitsAll() throws {
        let (kinesis, stream) = try newStream(shards: 2)
        let events = randomEvents(seed: 41, count: 3000, hours: 3)
        let reference = try referenceDB(events)
        let db = dir.url("live.sqlite"), log = dir.url("consumer.log")

        let lastSequence = Box<[String: String]>([:])
        let producerError = Box<Error?>(nil)
        let producer = Thread {
            do { lastSequence.value = try Self.put(kinesis, stream, events[...], batch: 40, pause: 0.03) } catch { producerError.value = error }
        }
        producer.start()

        var rng = SystemRandomNumberGenerator()
        for round in 1...3 {
            let p = try consumer(stream, db: db, log: log)
            let delay = Double.random(in: 0.4...1.4, using: &rng)
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .uncaughtSignal, "round \(round) (killed after \(delay) s)")
        }
        waitUntil(60, "the producer") { producer.isFinished }
        XCTAssertNil(producerError.value)

        let runsBefore = (try? rows(db, "SELECT count(*) FROM runs").first?.first) ?? .integer(0)
        guard case .integer(let before) = runsBefore else { return XCTFail("runs count") }
        let p = try consumer(stream, db: db, log: log)
        // Its own `running` row means its signal handlers are installed (it may have nothing left to catch up).
        waitUntil(30, "the consumer to start") {
            (try? rows(db, "SELECT count(*), sum(status = 'running') FROM runs")) == [[.integer(before + 1), .integer(1)]]
        }
        waitUntil(30, "the consumer to catch up") { tablesEqual(db, reference) }
        kill(p.processIdentifier, SIGTERM)
        let stopAsked = Date()
        p.waitUntilExit()
        XCTAssertLessThan(Date().timeIntervalSince(stopAsked), 5)
        XCTAssertEqual(p.terminationReason, .exit)
        XCTAssertEqual(p.terminationStatus, 0, text(log))

        try assertSameTables(db, reference)
        XCTAssertEqual(try checkpoints(db, stream), lastSequence.value)
        // A consumer killed before it recorded its run leaves no row; every recorded one but the last was interrupted.
        let runs = try rows(db, "SELECT command, status, sources FROM runs ORDER BY run_id")
        XCTAssertEqual(runs.count, Int(before) + 1)
        XCTAssertEqual(runs.last, [.text("stream"), .text("ok"), .text("kinesis://\(stream)")])
        XCTAssertEqual(Set(runs.dropLast()), [[.text("stream"), .text("interrupted"), .text("kinesis://\(stream)")]])
        XCTAssertEqual(try rows(db, "SELECT count(*) FROM _checkpoints WHERE millis_behind IS NULL OR updated_at = ''"), [[.integer(0)]])
        XCTAssertTrue(text(log).contains("signal SIGTERM: finishing the batch in flight"), text(log))
    }

    // MARK: (b) split one shard and merge two while streaming

    func testSplitAndMergeWhileStreamingEqualOneCleanReplay() throws {
        let (kinesis, stream) = try newStream(shards: 3)
        let events = randomEvents(seed: 42, count: 1800, hours: 2)
        let reference = try referenceDB(events)
        let db = dir.url("live.sqlite")
        var options = StreamOptions(stream: stream, start: .trimHorizon, databasePath: db, statusInterval: 0)
        options.listInterval = 0.5
        let live = LiveStream(options: options, log: Log(json: false, showProgress: false), environment: moto.environment)
        let runError = Box<Error?>(nil)
        let consumer = Thread {
            do { try live.run() } catch { runError.value = error }
        }
        consumer.start()

        try Self.put(kinesis, stream, events[0..<600], pause: 0.02)
        Thread.sleep(forTimeInterval: 0.5)
        try kinesis.splitShard(stream: stream, shardId: "shardId-000000000000", newStartingHashKey: "56713727820156410577229101238628035242")
        try Self.put(kinesis, stream, events[600..<1200], pause: 0.02)
        Thread.sleep(forTimeInterval: 0.5)
        try kinesis.mergeShards(stream: stream, shardId: "shardId-000000000001", adjacentShardId: "shardId-000000000002")
        try Self.put(kinesis, stream, events[1200...], pause: 0.02)

        waitUntil(30, "the consumer to catch up") { tablesEqual(db, reference) }
        // The merged child (moto copies its parents' records into it) is read after both parents are drained.
        waitUntil(10, "the merged child's checkpoint") { ((try? checkpoints(db, stream)) ?? [:])["shardId-000000000005"] != nil }
        live.requestStop()
        waitUntil(10, "the consumer to stop") { consumer.isFinished }
        XCTAssertNil(runError.value)
        try assertSameTables(db, reference)
        let intrinsic = Int64(events.count - Set(events.map(\.line)).count)
        XCTAssertEqual(try rows(db, "SELECT sum(duplicates) > \(intrinsic) FROM runs"), [[.integer(1)]], "the merged child's copies were read and deduplicated")
    }

    // MARK: (d) expired iterators and a shard that fails for a while

    /// Fails chosen GetRecords calls: ExpiredIteratorException on shard 0's 3rd and 6th call, InternalFailure on
    /// shard 1's calls 2–4. Records which iterator types were asked for.
    final class FaultyKinesis: StreamShardClient {
        let real: KinesisClient
        private let counts = Mutex<(calls: [String: Int], iteratorTypes: [String: [KinesisShardIteratorType]])>(([:], [:]))
        var iteratorTypes: [String: [KinesisShardIteratorType]] { counts.withLock { $0.iteratorTypes } }
        init(_ real: KinesisClient) { self.real = real }

        func listShards(_ stream: String, maxResults: Int) throws -> [KinesisShard] { try real.listShards(stream, maxResults: maxResults) }

        func getShardIterator(stream: String, shardId: String, type: KinesisShardIteratorType) throws -> String {
            counts.withLock { $0.iteratorTypes[shardId, default: []].append(type) }
            return try real.getShardIterator(stream: stream, shardId: shardId, type: type)
        }

        func getRecords(_ requests: [(iterator: String, stream: String, shardId: String)], limit: Int, concurrency: Int,
                        onOutput: (Int, Result<KinesisGetRecordsOutput, AWSError>) -> Void) throws {
            var pass: [Int] = []
            for (i, r) in requests.enumerated() {
                let n = counts.withLock { c in
                    c.calls[r.shardId, default: 0] += 1
                    return c.calls[r.shardId]!
                }
                if r.shardId == "shardId-000000000000" && (n == 3 || n == 6) {
                    onOutput(i, .failure(AWSError(service: .kinesis, operation: "GetRecords", resource: "shard \(r.shardId)", httpStatus: 400,
                                                  code: "ExpiredIteratorException", message: "Iterator expired", attempts: 1)))
                } else if r.shardId == "shardId-000000000001" && (2...4).contains(n) {
                    onOutput(i, .failure(AWSError(service: .kinesis, operation: "GetRecords", resource: "shard \(r.shardId)", httpStatus: 500,
                                                  code: "InternalFailure", message: "injected", attempts: 3)))
                } else {
                    pass.append(i)
                }
            }
            guard !pass.isEmpty else { return }
            try real.getRecords(pass.map { requests[$0] }, limit: limit, concurrency: concurrency) { j, result in onOutput(pass[j], result) }
        }
    }

    func testExpiredIteratorIsReacquiredFromTheCheckpointAndAFailingShardIsRetried() throws {
        let (kinesis, stream) = try newStream(shards: 2)
        let events = randomEvents(seed: 43, count: 1200, hours: 2)
        let reference = try referenceDB(events)
        try Self.put(kinesis, stream, events[...], batch: 200)
        let db = dir.url("live.sqlite")
        var options = StreamOptions(stream: stream, start: .trimHorizon, databasePath: db, statusInterval: 0)
        options.recordLimit = 60  // many small batches, so the faults land mid-shard with a checkpoint behind them
        options.failureReportThreshold = 2
        let alerts = dir.url("alerts.jsonl")
        options.alertCommand = "cat >> '\(alerts)'"
        let faulty = FaultyKinesis(try makeKinesis())
        let live = LiveStream(options: options, log: Log(json: false, showProgress: false), environment: moto.environment)
        live.client = faulty
        let runError = Box<Error?>(nil)
        let consumer = Thread { do { try live.run() } catch { runError.value = error } }
        consumer.start()
        waitUntil(30, "the consumer to catch up") { tablesEqual(db, reference) }
        live.requestStop()
        waitUntil(10, "the consumer to stop") { consumer.isFinished }
        XCTAssertNil(runError.value)
        try assertSameTables(db, reference)

        let types = faulty.iteratorTypes["shardId-000000000000"] ?? []
        XCTAssertEqual(types.count, 3, "\(types)")
        XCTAssertEqual(types.first, .trimHorizon)
        // Re-acquired after the committed checkpoints: after 2 batches of 60, and after 2 more.
        XCTAssertEqual(Array(types.dropFirst()), [.afterSequenceNumber("120"), .afterSequenceNumber("240")])
        XCTAssertEqual(faulty.iteratorTypes["shardId-000000000001"], [.trimHorizon])

        // Every stored anomaly was alerted exactly once (as JSON on the command's stdin) when the batch that made it
        // committed; one whose details grew, or whose first bot event moved earlier, was not alerted again. (A
        // checkout alerted and later retracted, when earlier events of its session arrived from the other shard,
        // stays alerted: it is the one kind of extra.)
        let alerted = text(alerts).split(separator: "\n").compactMap { line -> Anomaly.Row? in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] else { return nil }
            XCTAssertEqual(o["stream"], stream)
            return Anomaly.Row(sessionId: o["session_id"] ?? "", kind: o["kind"] ?? "", at: o["at"] ?? "", details: o["details"] ?? "")
        }
        let stored = try rows(db, "SELECT session_id, kind, at, details FROM anomalies").map {
            Anomaly.Row(sessionId: $0[0].description, kind: $0[1].description, at: $0[2].description, details: $0[3].description)
        }
        XCTAssertFalse(stored.isEmpty)
        XCTAssertEqual(Set(alerted.map(\.identity)).count, alerted.count, "an anomaly alerted twice")
        XCTAssertTrue(Set(stored.map(\.identity)).isSubset(of: Set(alerted.map(\.identity))), "a stored anomaly not alerted")
        XCTAssertEqual(Set(alerted.map(\.identity)).subtracting(stored.map(\.identity)).filter { $0[1] != "unusual_page_sequence" }, [])
        XCTAssertEqual(try rows(db, "SELECT sum(duplicates) FROM runs"), [[.integer(Int64(events.count - Set(events.map(\.line)).count))]],
                       "nothing was read twice")
    }

    // MARK: (e) one consumer per database

    func testSecondConsumerOnTheSameDatabaseExits2() throws {
        let (_, stream) = try newStream(shards: 1)
        let db = dir.url("live.sqlite"), log1 = dir.url("first.log"), log2 = dir.url("second.log")
        let first = try consumer(stream, db: db, start: "latest", log: log1)
        waitUntil(20, "the first consumer to start") { text(log1).contains("streaming kinesis://") }
        let second = try consumer(stream, db: db, start: "latest", log: log2)
        second.waitUntilExit()
        XCTAssertEqual(second.terminationStatus, 2)
        XCTAssertTrue(text(log2).hasPrefix("error: database \(db) is in use by another clickstream process (pid \(first.processIdentifier), stream kinesis://\(stream))"),
                      text(log2))
        kill(first.processIdentifier, SIGINT)
        first.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 0, text(log1))
    }

    func testStartMustBeKinesisAndTimeMustParse() throws {
        for (args, message) in [(["stream", "s3://bucket/x"], "error: source s3://bucket/x: stream reads a Kinesis stream; use kinesis://NAME\n"),
                                (["stream", "kinesis://x", "--start", "soon"], "error: --start: ")] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Self.binary)
            p.arguments = args + ["--db", dir.url("x.sqlite")]
            let err = Pipe()
            p.standardError = err
            try p.run()
            p.waitUntilExit()
            let out = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertEqual(p.terminationStatus, 2, out)
            XCTAssertTrue(out.hasPrefix(message), out)
        }
    }

    func testSequenceNumbersCompareAsIntegers() {
        XCTAssertTrue(SequenceNumber.less("9", "10"))
        XCTAssertTrue(SequenceNumber.less("49590338271490256608559692538361571095921575989136588898",
                                          "49590338271490256608559692540925702759324208523137515618"))
        XCTAssertFalse(SequenceNumber.less("010", "9"))
        XCTAssertTrue(SequenceNumber.atLeast("0", "0"))
        XCTAssertTrue(SequenceNumber.atLeast("100000000000000000000000000000000000000000000000000000001", "99"))
    }

    // MARK: measurements (printed, for the issue note)

    func testMeasureRecordsPerSecondAndPutToVisibleDelay() throws {
        let (kinesis, stream) = try newStream(shards: 2)
        let events = randomEvents(seed: 44, count: 20_000, hours: 4)
        try Self.put(kinesis, stream, events[...], batch: 500)
        let db = dir.url("live.sqlite"), log = dir.url("measure.log")
        let started = Date()
        let p = try consumer(stream, db: db, log: log)
        let expected = try Self.put(kinesis, stream, [(day0, eventLine(session: "marker-0", at: day0))][...])
        waitUntil(60, "the backlog") { (try? self.rows(db, "SELECT 1 FROM session_metrics WHERE session_id = 'marker-0'")) == [[.integer(1)]] }
        let seconds = Date().timeIntervalSince(started)
        _ = expected

        var delays: [Double] = []
        for i in 1...10 {
            Thread.sleep(forTimeInterval: Double.random(in: 0.1...0.9))
            let put = Date()
            try kinesis.putRecord(stream: stream, KinesisPutRecordsEntry(data: Array(eventLine(session: "marker-\(i)", at: day0).utf8), partitionKey: "m\(i)"))
            let d = try Database(path: db, readOnly: true)
            while try d.scalarInt("SELECT count(*) FROM session_metrics WHERE session_id = 'marker-\(i)'") != 1 {
                usleep(2_000)
                if Date().timeIntervalSince(put) > 10 { XCTFail("marker \(i) not visible"); break }
            }
            delays.append(Date().timeIntervalSince(put) * 1000)
        }
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        delays.sort()
        print(String(format: "MEASURE stream backlog: %d records in %.2f s = %.0f records/s (consumer start included)",
                     events.count + 1, seconds, Double(events.count + 1) / seconds))
        print(String(format: "MEASURE PutRecord->row visible (10 puts, idle consumer): min %.0f ms, median %.0f ms, max %.0f ms",
                     delays.first!, delays[delays.count / 2], delays.last!))
    }

    func rows(_ db: String, _ sql: String) throws -> [[SQLValue]] {
        try Database(path: db, readOnly: true).prepare(sql).rows()
    }

    func testAnAlertCommandThatIgnoresItsStdinDoesNotEndTheConsumer() throws {
        // Before: SIGPIPE killed the process after a few dozen alerts.
        let out = dir.url("alerts-ran")
        let alerts = AnomalyAlerts(command: "echo ran >> \(out)", stream: "s", log: Log(json: false, showProgress: false))
        for i in 0..<300 {
            alerts.report(Anomaly.Row(sessionId: "s\(i)", kind: "suspicious_user_agent", at: "2025-07-03T05:00:00.000Z",
                                      details: String(repeating: "x", count: 100_000)))
        }
        alerts.wait(seconds: 120)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count, 300)
    }
}
