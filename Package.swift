// swift-tools-version:6.0
import PackageDescription

// Layers are targets: a core with no I/O, adapters around it, a thin CLI that wires them.
let package = Package(
    name: "clickstream",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "clickstream", targets: ["clickstream"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System C libraries (Debian: libsqlite3-dev, zlib1g-dev, libcurl4-openssl-dev, libssl-dev).
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "CCurl", path: "Sources/CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "COpenSSL", path: "Sources/COpenSSL", linkerSettings: [.linkedLibrary("crypto")]),

        // Core: events, byte-level parsing, timestamps, fingerprints, partial aggregates, anomaly rules. No I/O.
        .target(name: "ClickstreamCore"),
        // Adapters.
        .target(name: "ClickstreamStore", dependencies: ["CSQLite", "ClickstreamCore"]),
        .target(name: "ArchiveSource", dependencies: ["CZlib", "ClickstreamCore"]),
        .target(name: "AWSClient", dependencies: ["CCurl", "COpenSSL", "CZlib"]),
        // Canned report queries (`queries/*.sql`) over the store, and their output formats.
        .target(name: "ClickstreamQueries", dependencies: ["ClickstreamStore"]),
        // Wiring: sources -> core -> store; jobs (replay, canned queries, DynamoDB export).
        .target(name: "ClickstreamEngine", dependencies: ["ClickstreamCore", "ClickstreamStore", "ClickstreamQueries", "ArchiveSource", "AWSClient"]),
        // Thin CLI.
        .executableTarget(name: "clickstream", dependencies: [
            "ClickstreamEngine",
            "ClickstreamQueries",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "clickstream-bench", dependencies: ["ClickstreamEngine", "AWSClient", "ClickstreamTestSupport"]),

        // Test support: starts moto_server on a free loopback port, temp dirs, running the binary.
        .target(name: "ClickstreamTestSupport", path: "Sources/ClickstreamTestSupport"),
        .testTarget(name: "ClickstreamCoreTests", dependencies: ["ClickstreamCore"]),
        .testTarget(name: "ClickstreamStoreTests", dependencies: ["ClickstreamStore", "ClickstreamTestSupport"]),
        .testTarget(name: "ArchiveSourceTests", dependencies: ["ArchiveSource", "ClickstreamTestSupport"]),
        .testTarget(name: "AWSClientTests", dependencies: ["AWSClient", "ClickstreamTestSupport"]),
        .testTarget(name: "ClickstreamEngineTests", dependencies: ["ClickstreamEngine", "ClickstreamStore", "ClickstreamCore", "ClickstreamTestSupport"]),
        .testTarget(name: "ClickstreamQueriesTests", dependencies: ["ClickstreamQueries", "ClickstreamStore"]),
        .testTarget(name: "CLITests", dependencies: ["ClickstreamTestSupport", "ClickstreamStore", "ClickstreamCore"]),
    ],
    swiftLanguageModes: [.v5]
)
