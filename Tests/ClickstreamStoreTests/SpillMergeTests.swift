@testable import ClickstreamStore
import ClickstreamCore
import ClickstreamTestSupport
import XCTest

/// The whole run's scratch file: session groups written as sorted runs come back merged, one per session, in
/// byte order of the ids, with shared minutes summed and shared hours' partials merged.
final class SpillMergeTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir = nil }

    func partial(_ count: Int64, _ first: Int64, _ last: Int64, agent: String?, bot: Int64? = nil) -> SessionPartial {
        SessionPartial(eventCount: count, firstMs: first, lastMs: last, lastAgent: agent, botMs: bot,
                       botAgent: bot == nil ? nil : "Googlebot/2.1", early: [first], checkouts: [])
    }

    func run(_ groups: [SessionGroup], into file: SpillFile) throws -> Range<Int64> {
        var bytes: [UInt8] = []
        for g in groups { g.encode(into: &bytes) }
        return try file.append(bytes)
    }

    func testRunsMergeIntoOneGroupPerSessionInByteOrder() throws {
        let file = try SpillFile(beside: dir.url("db.sqlite"))
        // The scratch file is unlinked at once: nothing is left beside the database.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
        var a = SessionGroup(session: Array("s-a".utf8))
        a.minutes = [(60_000, 2), (120_000, 1)]
        a.hours = [(0, partial(3, 60_000, 120_500, agent: "Firefox"))]
        var b = SessionGroup(session: Array("s-b".utf8))
        b.minutes = [(3_600_000, 4)]
        b.hours = [(1, partial(4, 3_600_000, 3_601_000, agent: nil, bot: 3_600_500))]
        var a2 = SessionGroup(session: Array("s-a".utf8))
        a2.minutes = [(120_000, 5), (3_660_000, 1)]
        a2.hours = [(0, partial(5, 90_000, 121_000, agent: "Chrome")), (1, partial(1, 3_660_000, 3_660_000, agent: "Chrome"))]
        var c = SessionGroup(session: Array("s-".utf8))
        c.minutes = [(0, 1)]
        c.hours = [(0, partial(1, 10, 10, agent: "Safari"))]
        let runs = [try run([a, b], into: file), try run([c, a2], into: file)]

        var merge = try SpillMerge(file, runs: runs)
        var out: [SessionGroup] = []
        while let g = try merge.next() { out.append(g) }
        XCTAssertEqual(out.map(\.sessionString), ["s-", "s-a", "s-b"])
        XCTAssertEqual(out[1].minutes.map(\.minuteMs), [60_000, 120_000, 3_660_000])
        XCTAssertEqual(out[1].minutes.map(\.count), [2, 6, 1])
        XCTAssertEqual(out[1].hours.map(\.hour), [0, 1])
        XCTAssertEqual(out[1].hours[0].partial, SessionPartial(eventCount: 8, firstMs: 60_000, lastMs: 121_000, lastAgent: "Chrome",
                                                               botMs: nil, botAgent: nil, early: [60_000, 90_000], checkouts: []))
        XCTAssertEqual(out[2].hours[0].partial.botMs, 3_600_500)
        XCTAssertEqual(out[2].hours[0].partial.botAgent, "Googlebot/2.1")
        XCTAssertNil(out[2].hours[0].partial.lastAgent)
    }

    func testAGroupLargerThanTheReadBufferIsReadWhole() throws {
        let file = try SpillFile(beside: dir.url("db.sqlite"))
        var big = SessionGroup(session: Array("bursty".utf8))
        big.minutes = (0..<40_000).map { (Int64($0) * 60_000, Int64($0 % 7 + 1)) } // 640 KB, the buffer is 64 KiB
        var small = SessionGroup(session: Array("zz".utf8))
        small.minutes = [(0, 3)]
        let r = try run([big, small], into: file)
        let reader = try SpillRunReader(file, run: r)
        XCTAssertEqual(reader.current?.minutes.count, 40_000)
        XCTAssertEqual(reader.current?.minutes.reduce(0) { $0 + $1.count }, (0..<40_000).reduce(0) { $0 + Int64($1 % 7 + 1) })
        try reader.advance()
        XCTAssertEqual(reader.current?.sessionString, "zz")
        try reader.advance()
        XCTAssertNil(reader.current)
    }

    func testARunCutShortIsAnErrorNamingTheFile() throws {
        let file = try SpillFile(beside: dir.url("db.sqlite"))
        var g = SessionGroup(session: Array("s".utf8))
        g.minutes = [(0, 1)]
        let r = try run([g], into: file)
        XCTAssertThrowsError(try SpillRunReader(file, run: r.lowerBound..<(r.upperBound - 3))) { error in
            XCTAssertEqual("\(error)", "the run's scratch file \(file.path) (beside the database): a run ends inside a record (\(r.count - 3) bytes left)")
        }
    }
}
