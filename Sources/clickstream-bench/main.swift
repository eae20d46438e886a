import ClickstreamPipeline
import ClickstreamSamples
import Foundation

// clickstream-bench: throughput and peak memory of the replay, never a timed unit test.
//
//   swift run -c release clickstream-bench ndjson [--events 2000000] [--hours 48] [--shape sessions|seed|long] [--sessions N]
//                                                 [--dir bench-data] [--no-duckdb]
//   swift run -c release clickstream-bench files  [--events 200000] [--hours 12] [--dir bench-data]
//   swift run -c release clickstream-bench parser
//   swift run -c release clickstream-bench merge [--parts 8] [--events 2000000] [--hours 48] [--dir bench-data]
//   swift run -c release clickstream-bench aws [--objects 1000] [--records 20000]   (S3/Kinesis against moto and a no-op server)
//
// Data is generated once per (kind, events, hours) by a child process, so the replay's peak memory is its own.

ProcessTuning.configureAllocator()
let arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first ?? "ndjson"
let args = Array(arguments.dropFirst())

func option(_ name: String, _ fallback: String) -> String {
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return fallback
}

switch mode {
case "parser":
    runParserBench()
case "generate":
    // Child process: generate and exit (keeps the generator's memory out of the measurement).
    let kind = option("--kind", "ndjson"), dir = option("--dir", "bench-data/x")
    var o = SampleGenerator.Options()
    o.seed = 7
    o.events = Int(option("--events", "2000000"))!
    o.hours = Int(option("--hours", "48"))!
    BenchShape.apply(args, to: &o)
    let g = SampleGenerator(options: o)
    let report = kind == "files" ? try g.writeOneEventPerFile(to: dir) : try g.writeNDJSON(to: dir)
    print("generated \(report.events) events (\(report.distinctEvents) distinct, \(report.duplicates) duplicates, \(report.badLines) bad lines), \(report.files) files, \(report.bytes >> 20) MiB")
case "ndjson", "files":
    let events = Int(option("--events", mode == "files" ? "200000" : "2000000"))!
    guard let shape = BenchShape(name: option("--shape", "sessions"), events: events, sessions: Int(option("--sessions", "0"))) else {
        FileHandle.standardError.write(Data("clickstream-bench: --shape is sessions, seed or long\n".utf8))
        exit(2)
    }
    try ReplayBench(kind: mode, shape: shape, events: events,
                    hours: Int(option("--hours", mode == "files" ? "12" : "48"))!,
                    root: option("--dir", "bench-data"),
                    duckdb: !args.contains("--no-duckdb")).run()
case "aws":
    runAWSBench(arguments: args)
case "merge":
    try MergeBench(events: Int(option("--events", "2000000"))!, hours: Int(option("--hours", "48"))!,
                   parts: Int(option("--parts", "8"))!, root: option("--dir", "bench-data")).run()
case "replay-part":
    // Child process of `merge`: one partition's replay, so its memory is not the merge's.
    try MergeBench.replayPart(arguments: args)
default:
    FileHandle.standardError.write(Data("usage: clickstream-bench ndjson|files|parser|merge|aws [--events N] [--hours H] [--dir DIR] [--no-duckdb]\n".utf8))
    exit(2)
}
