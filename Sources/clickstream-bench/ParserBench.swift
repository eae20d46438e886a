import ClickstreamCore

/// Times `ObjectSplitter` + `EventParser` on ~100 MB of typical NDJSON events held in memory (one core).
/// Prints MB/s and events/s for the best of several passes: once with plain strings, once with URLs written
/// with `\/` escapes (as some JSON encoders do), which exercises the scratch-decoding path.
public func runParserBench(megabytes: Int = 100, passes: Int = 5) {
    runParserBench(megabytes: megabytes, passes: passes, escapedSlashes: false)
    runParserBench(megabytes: megabytes, passes: passes, escapedSlashes: true)
}

private func runParserBench(megabytes: Int, passes: Int, escapedSlashes: Bool) {
    let eventTypes = ["page_view", "click", "add_to_cart", "page_view", "scroll", "page_view"]
    var data: [UInt8] = []
    data.reserveCapacity(megabytes << 20 + 4096)
    var i = 0
    var x: UInt64 = 0x2545_F491_4F6C_DD1D
    while data.count < megabytes << 20 {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17
        let r = Int(truncatingIfNeeded: x & 0x7FFF_FFFF)
        let second = (i / 7) % 3600
        let line = #"{"event_type":""# + eventTypes[r % eventTypes.count]
            + #"","session_id":"3f2b9c1e-8d7a-4b6e-9f01-"# + String(100_000_000_000 + r % 50_000)
            + #"","user_id":"user_"# + String(r % 100_000)
            + #"","timestamp":"2025-07-03T05:"# + pad2(second / 60) + ":" + pad2(second % 60) + "." + String(100 + r % 900)
            + #"Z","page_url":"https://shop.example.com/products/widget-"# + String(r % 10_000)
            + #"?ref=home","user_agent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36","ip_address":"203.0.113."#
            + String(r % 256) + #"","referrer":"https://www.google.com/"}"# + "\n"
        if escapedSlashes {
            for b in line.utf8 {
                if b == 0x2F { data.append(0x5C) }
                data.append(b)
            }
        } else {
            data.append(contentsOf: line.utf8)
        }
        i += 1
    }
    let bytes = data.count
    let mb = Double(bytes) / 1_000_000
    print("parser bench\(escapedSlashes ? " (escaped \\/ in URLs)" : ""): \(i) events, \(bytes) bytes (\(bytes / i) bytes/event)")

    var parser = EventParser()
    var best = Double.infinity
    for pass in 1...passes {
        var ok = 0, rejected = 0
        var checksum: Int64 = 0
        let start = ContinuousClock.now
        data.withUnsafeBytes { object in
            ObjectSplitter.forEachDocument(in: object) { _, document in
                switch parser.parse(document) {
                case .success(let event):
                    ok += 1
                    checksum &+= event.timestampMs &+ Int64(event.sessionId.count)
                case .failure:
                    rejected += 1
                }
            }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        best = min(best, seconds)
        print("  pass \(pass): \(ok) ok, \(rejected) rejected, \(fmt(seconds * 1000)) ms, "
              + "\(fmt(mb / seconds)) MB/s, \(fmt(Double(ok) / seconds / 1e6)) M events/s (checksum \(checksum))")
    }
    print("parser bench best: \(fmt(mb / best)) MB/s, \(fmt(Double(i) / best / 1e6)) M events/s on one core")
}

private func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

private func fmt(_ v: Double) -> String {
    let scaled = (v * 10).rounded() / 10
    return "\(scaled)"
}
