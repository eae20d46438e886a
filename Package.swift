// swift-tools-version:6.0
import PackageDescription

// Layers are targets, bottom up: a core with no I/O; codecs; the store and the AWS client; the pipeline (the one
// path from a source to a commit); the sources, one target each; export, runs, jobs, queries, samples; a thin CLI.
let package = Package(
    name: "clickstream",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "clickstream", targets: ["clickstream"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // System C libraries (Debian: libsqlite3-dev, zlib1g-dev, libcurl4-openssl-dev, libssl-dev).
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "CCurl", path: "Sources/CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "COpenSSL", path: "Sources/COpenSSL", linkerSettings: [.linkedLibrary("crypto")]),

        // Core, no I/O: events, the byte-level parser, timestamps, fingerprints, partial aggregates and their
        // planning, anomaly rules, partition paths, TIME expressions.
        .target(name: "ClickstreamCore"),
        // Archive layout, no I/O: partition paths (`year=/month=/day=/hour=`, zero-padded, Firehose) in keys and folders.
        .target(name: "ArchiveLayout"),
        // Codecs: reading an object's bytes (mmap / read), gzip, Kinesis records (gzip, KPL) — the one place
        // where "what bytes does this object hold" is decided.
        .target(name: "ClickstreamCodecs", dependencies: ["CZlib", "ClickstreamCore"]),
        // Adapters to the outside: SQLite, and AWS over libcurl with SigV4.
        .target(name: "ClickstreamStore", dependencies: ["CSQLite", "ClickstreamCore"]),
        // HTTP/1.1 over libcurl's multi interface (many transfers in flight, connection reuse, TLS), no AWS in it.
        .target(name: "CurlHTTP", dependencies: ["CCurl"]),
        .target(name: "AWSClient", dependencies: ["CurlHTTP", "COpenSSL", "CZlib"]),

        // The pipeline: the source port, parsing on all cores, the writer, commit policies, run bookkeeping,
        // progress, logging, the one error type.
        .target(name: "ClickstreamPipeline", dependencies: ["ClickstreamCore", "ClickstreamCodecs", "ClickstreamStore"]),
        // Sources, one per kind of URL.
        .target(name: "SourceLocal", dependencies: ["ClickstreamPipeline", "ArchiveLayout"]),
        .target(name: "SourceS3", dependencies: ["ClickstreamPipeline", "ArchiveLayout", "AWSClient"]),
        .target(name: "SourceKinesis", dependencies: ["ClickstreamPipeline", "AWSClient"]),

        // What runs on top: the DynamoDB export, replay and stream runs, job files, canned queries, sample data.
        .target(name: "ClickstreamExport", dependencies: ["ClickstreamPipeline", "AWSClient"]),
        .target(name: "ClickstreamRuns", dependencies: ["ClickstreamPipeline", "SourceLocal", "SourceS3", "SourceKinesis"]),
        .target(name: "ClickstreamQueries", dependencies: ["ClickstreamCore", "ClickstreamStore"]),
        // The HTML report: the canned queries' rows drawn as inline SVG, in one self-contained page.
        .target(name: "ClickstreamReport", dependencies: ["ClickstreamPipeline", "ClickstreamQueries"]),
        .target(name: "ClickstreamJobs", dependencies: ["ClickstreamRuns", "ClickstreamExport", "ClickstreamQueries", "ClickstreamReport",
                                                  "SourceLocal", .product(name: "TOMLKit", package: "TOMLKit")]),
        .target(name: "ClickstreamSamples", dependencies: ["ClickstreamCore"]),

        // Thin CLI.
        .executableTarget(name: "clickstream", dependencies: [
            "ClickstreamJobs", "ClickstreamSamples", "ClickstreamReport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "clickstream-bench", dependencies: ["ClickstreamJobs", "ClickstreamSamples", "ClickstreamTestSupport"]),

        // Test support: starts moto_server on a free loopback port, stub HTTP servers, temp dirs, running the binary.
        .target(name: "ClickstreamTestSupport", path: "Sources/ClickstreamTestSupport"),
        .testTarget(name: "ClickstreamCoreTests", dependencies: ["ClickstreamCore"]),
        .testTarget(name: "ArchiveLayoutTests", dependencies: ["ArchiveLayout"]),
        .testTarget(name: "ClickstreamCodecsTests", dependencies: ["ClickstreamCodecs", "ClickstreamTestSupport", "CZlib"]),
        .testTarget(name: "ClickstreamStoreTests", dependencies: ["ClickstreamStore", "ClickstreamTestSupport"]),
        .testTarget(name: "AWSClientTests", dependencies: ["AWSClient", "CurlHTTP", "ClickstreamTestSupport"]),
        .testTarget(name: "ClickstreamPipelineTests", dependencies: ["ClickstreamPipeline", "ClickstreamTestSupport"]),
        .testTarget(name: "SourceLocalTests", dependencies: ["SourceLocal", "ClickstreamTestSupport"]),
        // Sources, runs, jobs and export together, against moto and SQLite.
        .testTarget(name: "IntegrationTests", dependencies: ["ClickstreamJobs", "ClickstreamSamples", "ClickstreamTestSupport"]),
        .testTarget(name: "ClickstreamQueriesTests", dependencies: ["ClickstreamQueries", "ClickstreamStore"]),
        .testTarget(name: "ClickstreamReportTests", dependencies: ["ClickstreamReport", "ClickstreamSamples", "ClickstreamRuns", "ClickstreamTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["ClickstreamTestSupport", "ClickstreamStore", "ClickstreamCore", "AWSClient"]),
    ],
    swiftLanguageModes: [.v6]
)
