import AWSClient
import ClickstreamCore
import ClickstreamExport
import ClickstreamJobs
import ClickstreamPipeline
import ClickstreamRuns
import ClickstreamSamples
import ClickstreamTestSupport
import Foundation
import SourceKinesis
import SourceLocal
import SourceS3
import XCTest

/// Points this process's AWS settings at the shared moto_server (Replay resolves them from the environment).
func useMoto() -> MotoServer {
    let moto = MotoServer.shared
    for (k, v) in moto.environment { setenv(k, v, 1) }
    return moto
}

func motoTransport(endpoint: String? = nil, retry: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.05)) throws -> AWSTransport {
    var env = useMoto().environment
    if let endpoint { env["AWS_ENDPOINT_URL"] = endpoint }
    return try AWSTransport(config: try AWSConfig.resolve(environment: env), retryPolicy: retry)
}

func uniqueName(_ base: String) -> String { "\(base)-\(UInt32.random(in: 0...UInt32.max))" }

/// Runs a replay whose sources are built by `make` (to inspect them afterwards or use a custom transport).
@discardableResult
func replay(_ sources: [String], from: Int64, to: Int64, db: String, rebuild: Bool = false,
            make: @escaping (SourceURL, ReplayOptions) throws -> any IngestSource) throws -> ReplaySummary {
    let options = ReplayOptions(sources: try sources.map(SourceURL.init(parsing:)), window: from..<to, rebuild: rebuild,
                                databasePath: db, workers: 2)
    let r = Replay(options: options, log: Log(json: false, showProgress: false))
    r.makeSource = make
    return try r.run()
}

/// The whole `quarantine` table as (source, location, reason), sorted.
func quarantineRows(_ db: String) throws -> [[String]] {
    try rows(db, "SELECT source, location, reason FROM quarantine ORDER BY source, location").map { row in
        row.map { v -> String in if case .text(let s) = v { return s } else { return "\(v)" } }
    }
}

