import ClickstreamCore

/// One libFuzzer input: an object's bytes, through the path every source uses (`ObjectIngest`: split, parse,
/// quarantine), then split again as NDJSON and every line parsed. Any crash, trap or hang is a finding; the
/// results themselves are checked by the unit tests.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIngest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let object = UnsafeRawBufferPointer(start: size > 0 ? data : nil, count: size)
    var parser = EventParser()
    var buffer = IngestBuffer(window: Int64.min..<Int64.max)
    ObjectIngest.ingest(object, source: "fuzz", into: &buffer, parser: &parser)
    var lines = 0
    ObjectSplitter.forEachDocument(in: object, lines: true) { line, document in
        precondition(line > lines, "line numbers go up")
        lines = line
        _ = parser.parse(document)
    }
    return 0
}

/// SwiftPM links an executable with its entry point renamed to `<module>_main` (and `main` pointing at it), so
/// libFuzzer's own `main` is not used: this one hands the arguments to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("fuzz_ingest_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in fuzzIngest(data, size) }
}
