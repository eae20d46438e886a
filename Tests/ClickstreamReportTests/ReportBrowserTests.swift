import ClickstreamTestSupport
import Foundation
import XCTest

/// The demo report in a real browser: headless Chromium, network disabled, at a laptop and a phone width.
final class ReportBrowserTests: XCTestCase {
    /// Added at the very start of `<head>`, before the page's Content-Security-Policy (which applies only to what
    /// follows it), so the page itself is checked unchanged: it records script errors and policy violations, and
    /// after load, for each chart, how many of its marks have a size.
    static let probe = """
    <script>
    window.__errors = [];
    window.addEventListener('error', e => window.__errors.push('error: ' + e.message));
    document.addEventListener('securitypolicyviolation', e => window.__errors.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI));
    window.addEventListener('load', () => {
      const charts = [...document.querySelectorAll('svg.chart')].map(svg => {
        const marks = [...svg.querySelectorAll('.mark')].filter(m => { const b = m.getBBox(); return b.width > 0 || b.height > 0; });
        const box = svg.getBoundingClientRect();
        return { id: svg.id, marks: marks.length, width: Math.round(box.width), height: Math.round(box.height),
                 title: svg.querySelector('title') ? svg.querySelector('title').textContent : '' };
      });
      const pre = document.createElement('pre');
      pre.id = 'probe';
      pre.textContent = JSON.stringify({ charts, errors: window.__errors, pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth });
      document.body.appendChild(pre);
    });
    </script>
    """

    struct Probe: Decodable {
        struct Chart: Decodable { var id: String; var marks: Int; var width: Int; var height: Int; var title: String }
        var charts: [Chart]
        var errors: [String]
        var pageWidth: Int
        var viewport: Int
    }

    func testRendersWithoutErrorsAndEveryChartHasMarks() throws {
        let f = try DemoReportFixture.get()
        let html = try f.html()
        let probed = f.directory.url("probed.html")
        try html.replacingOccurrences(of: "<head>\n", with: "<head>\n" + Self.probe + "\n").write(toFile: probed, atomically: true, encoding: .utf8)

        // Headless Chromium's window is at least 500 px wide, so the page is loaded in a frame of the width under
        // test, and the frame's probe output is copied out to the harness (file:// frames may read each other
        // with --allow-file-access-from-files).
        for width in [1280, 375] {
            let harness = f.directory.url("harness-\(width).html")
            try """
            <!DOCTYPE html><html><head><title>harness</title></head><body style="margin:0">
            <iframe id="page" src="probed.html" title="report" style="width:\(width)px;height:900px;border:0"></iframe>
            <script>document.getElementById('page').addEventListener('load', () => {
              const out = document.createElement('pre'); out.id = 'probe';
              out.textContent = document.getElementById('page').contentDocument.getElementById('probe').textContent;
              document.body.appendChild(out);
            });</script></body></html>
            """.write(toFile: harness, atomically: true, encoding: .utf8)
            let r = try HeadlessChromium.dumpDOM(harness, width: 1300, height: 1000, allowFileAccess: true)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.console, [], "console messages at \(width) px")
            guard let start = r.dom.range(of: "<pre id=\"probe\">"), let end = r.dom.range(of: "</pre>", range: start.upperBound..<r.dom.endIndex) else {
                return XCTFail("no probe output at \(width) px: \(r.stderr.suffix(2000))")
            }
            let json = HTMLTable.unescape(String(r.dom[start.upperBound..<end.lowerBound]))
            let probe = try JSONDecoder().decode(Probe.self, from: Data(json.utf8))
            XCTAssertEqual(probe.errors, [])
            XCTAssertEqual(probe.charts.map(\.id), ["chart-events-per-minute", "chart-hourly-traffic", "chart-top-pages-0", "chart-funnel-0",
                                                    "chart-bounce-rate", "chart-sessions", "chart-anomalies", "chart-quarantine"])
            for c in probe.charts {
                XCTAssertGreaterThan(c.marks, 0, c.id)
                XCTAssertGreaterThan(c.width, 200, c.id)
                XCTAssertGreaterThan(c.height, 50, c.id)
                XCTAssertFalse(c.title.isEmpty, c.id)
            }
            // One line per event type, a bar per hour and series, a bar per top page, four funnel steps.
            XCTAssertEqual(probe.charts[0].marks, 5)
            XCTAssertEqual(probe.charts[1].marks, 12)
            XCTAssertEqual(probe.charts[2].marks, 20)
            XCTAssertEqual(probe.charts[3].marks, 4)
            // The page never scrolls sideways as a whole (wide charts and tables scroll inside their own box).
            XCTAssertEqual(probe.viewport, width)
            XCTAssertLessThanOrEqual(probe.pageWidth, width, "page wider than the viewport at \(width) px")
        }
    }

    func testScreenshotOfTheUnchangedPage() throws {
        let f = try DemoReportFixture.get()
        let png = f.directory.url("report.png")
        let r = try HeadlessChromium.screenshot(f.report, to: png, width: 1280, height: 2400)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.console, [], "the page logged to its console")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: png)))
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: width and height, big-endian, at bytes 16–23.
        let w = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, h = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual([w, h], [1280, 2400])
        XCTAssertGreaterThan(bytes.count, 50_000) // a blank page compresses to a few kB
    }
}
