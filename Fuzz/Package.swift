// swift-tools-version:6.0
import PackageDescription

// The libFuzzer target for the event parser and the object splitter, kept out of the main package so that
// `swift build` there never meets a target that only links with `-sanitize=fuzzer`. `Sources/ClickstreamCore`
// is a symbolic link to the main package's core (no I/O, no dependencies). See README, "Fuzzing".
let package = Package(
    name: "clickstream-fuzz",
    targets: [
        .target(name: "ClickstreamCore"),
        // libFuzzer provides `main`: parse the file as a library, so Swift does not make one.
        .executableTarget(name: "fuzz-ingest", dependencies: ["ClickstreamCore"],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ],
    swiftLanguageModes: [.v6]
)
