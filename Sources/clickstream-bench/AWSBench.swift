import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import ClickstreamTestSupport
import Foundation
import SourceKinesis
import SourceS3

/// `clickstream-bench aws [--objects N] [--records N] [--endpoint URL]`: S3 objects/s for a one-event-per-object
/// archive at --concurrency 1, 8, 32, 64 (list + GET + parse, no store), Kinesis records/s for a window replay
/// read, both against moto on loopback (started here unless --endpoint is given), and the same S3 GET path
/// against a no-op local HTTP server: the ceiling of our client, since moto itself is the bottleneck.
func runAWSBench(arguments: [String]) {
    func option(_ name: String) -> String? {
        guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
        return arguments[i + 1]
    }
    let objects = Int(option("--objects") ?? "") ?? 1000
    let recordCount = Int(option("--records") ?? "") ?? 20_000
    do {
        var env = ProcessInfo.processInfo.environment
        if let endpoint = option("--endpoint") {
            env["AWS_ENDPOINT_URL"] = endpoint
        } else {
            env.merge(MotoServer.shared.environment) { _, new in new }
        }
        let config = try AWSConfig.resolve(environment: env)
        let transport = try AWSTransport(config: config)
        let s3 = S3Client(transport: transport)
        // Sources read what earlier runs committed from a store: an empty scratch one here.
        let scratchDirectory = try TemporaryDirectory()
        let scratch = try Store(path: scratchDirectory.url("scratch.sqlite"))
        let bucket = "bench-\(UInt32.random(in: 0...UInt32.max))"
        try s3.createBucket(bucket)
        let hour: Int64 = 1_751_500_800_000
        let event = { (i: Int) in
            Array("{\"event_type\":\"click\",\"session_id\":\"s\(i % 97)\",\"timestamp\":\"\(Timestamp.instant(hour + Int64(i) * 1000))\",\"page_url\":\"/p\(i % 13)\"}\n".utf8)
        }
        var mark = Date()
        for i in 0..<objects { try s3.putObject(bucket: bucket, key: "year=2025/month=7/day=3/hour=0/part-\(i).json", body: event(i)) }
        print("uploaded \(objects) objects to \(config.endpoint(for: .s3)) in \(String(format: "%.1f", -mark.timeIntervalSinceNow)) s")
        let window = hour..<(hour + 3_600_000)
        let progress = RunProgress(log: Log(json: false, showProgress: false))
        for concurrency in [1, 8, 32, 64] {
            let source = S3ArchiveSource(bucket: bucket, prefix: "", client: s3, concurrency: concurrency)
            mark = Date()
            try source.prepare(window: window)
            let listed = -mark.timeIntervalSinceNow
            var events = 0
            mark = Date()
            try source.read(window: window, store: scratch, progress: progress) { batch in
                events += batch.buffers.reduce(0) { $0 + $1.stats.inWindow }
                batch = SourceBatch()
            }
            let seconds = -mark.timeIntervalSinceNow
            print("s3 moto       concurrency \(concurrency): \(Int(Double(source.fetched) / seconds)) objects/s (\(source.fetched) objects, \(events) events, GET+parse \(String(format: "%.2f", seconds)) s, list \(String(format: "%.2f", listed)) s)")
        }

        // The client's ceiling: the same GetObject path against a local server that answers every GET at once.
        let body = event(1)
        let stub = try StubHTTPServer { _ in .init(status: 200, headers: [("ETag", "\"x\"")], body: body) }
        var stubEnv = env
        stubEnv["AWS_ENDPOINT_URL"] = stub.endpoint
        let stubS3 = S3Client(transport: try AWSTransport(config: try AWSConfig.resolve(environment: stubEnv)))
        let keys = (0..<max(objects, 5000)).map { (bucket, "k\($0)") }
        for concurrency in [1, 8, 32, 64] {
            mark = Date()
            var n = 0
            try stubS3.getObjects(keys, concurrency: concurrency) { _, r in if case .success = r { n += 1 } }
            let seconds = -mark.timeIntervalSinceNow
            print("s3 no-op stub concurrency \(concurrency): \(Int(Double(n) / seconds)) objects/s (\(n) GETs in \(String(format: "%.2f", seconds)) s, \(stub.connectionCount) connections so far)")
        }
        stub.stop()

        let kinesis = KinesisClient(transport: transport)
        let stream = "bench-\(UInt32.random(in: 0...UInt32.max))"
        try kinesis.createStream(stream, shardCount: 4)
        let from = Int64(Date().timeIntervalSince1970 * 1000) - 1000
        mark = Date()
        var put = 0
        while put < recordCount {
            let batch = (put..<min(recordCount, put + 500)).map { i in
                KinesisPutRecordsEntry(data: Array("{\"event_type\":\"click\",\"session_id\":\"s\(i % 97)\",\"timestamp\":\"\(Timestamp.instant(from + Int64(i)))\"}".utf8),
                                       partitionKey: "pk\(i)")
            }
            _ = try kinesis.putRecords(stream: stream, batch)
            put += batch.count
        }
        print("put \(put) records in \(String(format: "%.1f", -mark.timeIntervalSinceNow)) s")
        let source = KinesisWindowSource(stream: stream, client: kinesis)
        try source.prepare(window: from..<(from + 3_600_000))
        mark = Date()
        var events = 0
        try source.read(window: from..<(from + 3_600_000), store: scratch, progress: progress) { batch in
            events += batch.buffers.reduce(0) { $0 + $1.stats.inWindow }
            batch = SourceBatch()
        }
        let seconds = -mark.timeIntervalSinceNow
        print("kinesis moto  4 shards: \(Int(Double(source.recordsRead) / seconds)) records/s (\(source.recordsRead) records, \(events) events, \(source.getRecordsCalls) GetRecords, \(String(format: "%.2f", seconds)) s)")
    } catch {
        FileHandle.standardError.write(Data("aws bench: \(error)\n".utf8))
        exit(1)
    }
}
