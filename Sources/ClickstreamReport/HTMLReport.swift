import ClickstreamCore
import ClickstreamQueries
import ClickstreamStore

/// Renders a `ReportData` as one self-contained HTML page: inline CSS, charts as inline SVG drawn here, no script
/// and a Content-Security-Policy that forbids loading anything, so the file opens the same offline, from a mail
/// attachment or a CI artifact. Every chart has a title, a description and axis titles, and its numbers are also
/// in a table (the canned query's rows as they are, `data-query` naming the query), for screen readers and copying.
public enum HTMLReport {
    /// The sections, in page order: `id` and heading. Tests check every one is present.
    public static let sections: [(id: String, heading: String)] = [
        ("summary", "Summary"),
        ("events-per-minute", "Events per minute by type"),
        ("hourly-traffic", "Page views and events per hour"),
        ("top-pages", "Top pages"),
        ("funnel", "Funnel: home → product → cart → checkout"),
        ("bounce-rate", "Bounce rate"),
        ("sessions", "Sessions ranked by events"),
        ("anomalies", "Anomalies"),
        ("quarantine", "Quarantine by reason and source"),
        ("runs", "Runs that produced the data"),
        ("lineage", "Source lineage"),
    ]

    public static func render(_ data: ReportData) -> String {
        let from = Timestamp.instant(data.window.lowerBound), to = Timestamp.instant(data.window.upperBound)
        var body = ""
        body += summary(data)
        body += eventsPerMinute(data)
        body += hourly(data)
        body += topPages(data)
        body += funnel(data)
        body += bounce(data)
        body += sessions(data)
        body += anomalies(data)
        body += quarantine(data)
        body += runs(data)
        body += lineage(data)
        let nav = sections.map { "<li><a href=\"#\($0.id)\">\(HTML.escape($0.heading))</a></li>" }.joined()
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <title>Clickstream report \(HTML.escape(from)) – \(HTML.escape(to))</title>
        <style>
        \(ReportStyle.css)
        </style>
        </head>
        <body>
        <header>
        <h1>Clickstream report</h1>
        <p class="meta">Event time <time datetime="\(from)">\(from)</time> to <time datetime="\(to)">\(to)</time> (UTC, end excluded) · database <code>\(HTML.escape(data.databasePath))</code> · made \(HTML.escape(data.generatedAt))</p>
        <nav aria-label="Sections"><ul>\(nav)</ul></nav>
        </header>
        <main>
        \(body)
        </main>
        <footer>Made by <code>clickstream report</code>. Every number is a canned query's (<code>clickstream query --list</code>); each section names the query and parameters that give its table.</footer>
        </body>
        </html>

        """
    }

    // MARK: Sections

    static func summary(_ d: ReportData) -> String {
        let events = d.eventsPerMinute.rows.reduce(Int64(0)) { $0 + int($1[2]) }
        let views = d.hourlyTraffic.rows.reduce(Int64(0)) { $0 + int($1[1]) }
        let sessions = d.bounceRate.rows.reduce(Int64(0)) { $0 + int($1[1]) }
        let quarantined = d.quarantine.rows.reduce(Int64(0)) { $0 + int($1[2]) }
        let tiles: [(String, String, String)] = [
            ("events", "Events", HTML.grouped(events)),
            ("page-views", "Page views", HTML.grouped(views)),
            ("sessions", "Sessions started", HTML.grouped(sessions)),
            ("anomalies", "Anomalies", HTML.grouped(Int64(d.anomalies.rows.count))),
            ("quarantined", "Quarantined records", HTML.grouped(quarantined)),
            ("runs", "Runs", HTML.grouped(Int64(d.runs.rows.count))),
        ]
        let dl = tiles.map { "<div class=\"tile\" data-tile=\"\($0.0)\"><dt>\($0.1)</dt><dd>\($0.2)</dd></div>" }.joined()
        return open("summary") + "<dl class=\"tiles\">\(dl)</dl>"
            + "<p class=\"source\">Events and page views are the sums of the minute and hour tables below; sessions are those whose first activity falls on the report's days (bounce-rate).</p></section>\n"
    }

    static func eventsPerMinute(_ d: ReportData) -> String {
        var s = open("events-per-minute")
        let hours = hourKeys(d.window)
        s += source("events-per-minute", hours.count == 1 ? "hour=\(hours[0])" : "hour=\(hours.first!) … hour=\(hours.last!) (one run per hour)")
        guard !d.eventsPerMinute.rows.isEmpty else { return s + empty("No events in this window.") + "</section>\n" }
        let start = d.window.lowerBound.floorDiv(60_000) * 60_000
        let times = Array(stride(from: start, to: d.window.upperBound, by: 60_000))
        var index: [String: Int] = [:]
        for (i, t) in times.enumerated() { index[Timestamp.minuteKey(t)] = i }
        var byType: [String: [Double]] = [:]
        for row in d.eventsPerMinute.rows {
            let type = row[1].description
            var values = byType[type] ?? [Double](repeating: 0, count: times.count)
            if let i = index[row[0].description] { values[i] += Double(int(row[2])) }
            byType[type] = values
        }
        let types = byType.keys.sorted { byType[$0]!.reduce(0, +) > byType[$1]!.reduce(0, +) || (byType[$0]!.reduce(0, +) == byType[$1]!.reduce(0, +) && $0 < $1) }
        let chart = LineChart(title: "Events per minute by event type",
                              description: "Line chart of events per minute of event time for each event type (\(types.joined(separator: ", "))) from \(Timestamp.minuteKey(d.window.lowerBound)) to \(Timestamp.minuteKey(d.window.upperBound - 1)) UTC. The table below gives each type's total and busiest minute.",
                              axis: TimeAxis(window: start..<d.window.upperBound), times: times,
                              series: types.map { ($0, byType[$0]!) }, xTitle: "event time (UTC, per minute)", yTitle: "events per minute")
        s += figure(chart.svg(id: "chart-events-per-minute"), caption: "Events per minute of event time, one line per event type.", scroll: true)
        var summaryRows: [[String]] = []
        for t in types {
            let v = byType[t]!
            let peak = v.indices.max { v[$0] < v[$1] || (v[$0] == v[$1] && $0 > $1) }!
            summaryRows.append([t, String(Int64(v.reduce(0, +))), Timestamp.minuteKey(times[peak]), String(Int64(v[peak]))])
        }
        s += textTable(caption: "Events per type in the window", columns: ["event_type", "events", "busiest minute", "events that minute"],
                       rows: summaryRows, numeric: [false, true, false, true])
        s += details("All \(d.eventsPerMinute.rows.count) rows", table(d.eventsPerMinute, query: "events-per-minute", caption: "events-per-minute rows"))
        return s + "</section>\n"
    }

    static func hourly(_ d: ReportData) -> String {
        var s = open("hourly-traffic")
        s += source("hourly-traffic", dayParams(d))
        guard d.hourlyTraffic.rows.contains(where: { int($0[1]) > 0 || int($0[2]) > 0 }) else {
            return s + empty("No page views or events in this window.") + "</section>\n"
        }
        let labels = d.hourlyTraffic.rows.map { row -> String in
            let k = row[0].description
            return d.days.count > 1 ? "\(k.dropFirst(5).prefix(5)) \(k.suffix(2))h" : "\(k.suffix(2)):00"
        }
        let chart = GroupedBarChart(title: "Page views and events per hour",
                                    description: "Bar chart of page views and of all events for each UTC hour of the window, \(d.hourlyTraffic.rows.count) hours. The same numbers are in the table below.",
                                    categories: labels,
                                    series: [("page views", d.hourlyTraffic.rows.map { Double(int($0[1])) }),
                                             ("events", d.hourlyTraffic.rows.map { Double(int($0[2])) })],
                                    xTitle: "hour (UTC)", yTitle: "count per hour")
        s += figure(chart.svg(id: "chart-hourly-traffic"), caption: "Page views (page_view events) and all events per hour.", scroll: true)
        s += details("Table", table(d.hourlyTraffic, query: "hourly-traffic", caption: "hourly-traffic rows"))
        return s + "</section>\n"
    }

    static func topPages(_ d: ReportData) -> String {
        var s = open("top-pages")
        for (n, day) in d.topPages.enumerated() {
            if d.topPages.count > 1 { s += "<h3>\(day.day)</h3>" }
            s += source("top-pages", "day=\(day.day) limit=\(day.result.rows.count < 20 ? 20 : day.result.rows.count)")
            guard !day.result.rows.isEmpty else { s += empty("No page views on \(day.day)."); continue }
            let chart = HorizontalBarChart(title: "Top pages on \(day.day)",
                                           description: "Bar chart of page views per page on \(day.day), most viewed first: \(day.result.rows.prefix(3).map { "\($0[0].description) \($0[1].description)" }.joined(separator: ", "))…",
                                           items: day.result.rows.map { ($0[0].description, Double(int($0[1])), nil) }, valueTitle: "page views")
            s += figure(chart.svg(id: "chart-top-pages-\(n)"), caption: "Page views per page on \(day.day).", scroll: false)
            s += details("Table", table(day.result, query: "top-pages", params: "day=\(day.day)", caption: "top-pages for \(day.day)"))
        }
        return s + "</section>\n"
    }

    static func funnel(_ d: ReportData) -> String {
        var s = open("funnel")
        s += "<p class=\"source\">Page-view based: each step counts the page views of its pages on the day (home = <code>/</code>, product = a URL containing <code>/product</code>, cart = <code>/cart</code>, checkout = <code>/checkout</code>); conversion is each step's views as a percentage of the previous step's.</p>"
        for (n, day) in d.funnel.enumerated() {
            if d.funnel.count > 1 { s += "<h3>\(day.day)</h3>" }
            s += source("funnel", "day=\(day.day)")
            let items = day.result.rows.map { row -> (String, Double, String?) in
                (row[1].description, Double(int(row[2])), row[3] == .null ? nil : "\(row[3].description) %")
            }
            guard items.contains(where: { $0.1 > 0 }) else { s += empty("No funnel page views on \(day.day)."); continue }
            let chart = HorizontalBarChart(title: "Funnel on \(day.day)",
                                           description: "Funnel of page views on \(day.day): " + day.result.rows.map { "\($0[1].description) \($0[2].description)" + ($0[3] == .null ? "" : " (\($0[3].description) % of the previous step)") }.joined(separator: ", ") + ".",
                                           items: items, valueTitle: "page views", colorIndex: 2)
            s += figure(chart.svg(id: "chart-funnel-\(n)"), caption: "Page views per funnel step with step conversion.", scroll: false)
            s += table(day.result, query: "funnel", params: "day=\(day.day)", caption: "funnel for \(day.day)")
        }
        return s + "</section>\n"
    }

    static func bounce(_ d: ReportData) -> String {
        var s = open("bounce-rate")
        s += source("bounce-rate", dayParams(d))
        let sessions = d.bounceRate.rows.reduce(Int64(0)) { $0 + int($1[1]) }
        let bounced = d.bounceRate.rows.reduce(Int64(0)) { $0 + int($1[2]) }
        guard sessions > 0 else { return s + empty("No sessions started on the report's days.") + table(d.bounceRate, query: "bounce-rate", caption: "bounce-rate per day") + "</section>\n" }
        if d.bounceRate.rows.count == 1 {
            s += "<p class=\"big\" data-bounce=\"\(d.bounceRate.rows[0][3].description)\">\(d.bounceRate.rows[0][3].description) %</p>"
        }
        let items: [(String, Double, String?)] = d.bounceRate.rows.flatMap { row -> [(String, Double, String?)] in
            let prefix = d.bounceRate.rows.count > 1 ? "\(row[0].description) " : ""
            return [("\(prefix)bounced", Double(int(row[2])), row[3] == .null ? nil : "\(row[3].description) %"),
                    ("\(prefix)more than one event", Double(int(row[1]) - int(row[2])), nil)]
        }
        let chart = HorizontalBarChart(title: "Bounce rate",
                                       description: "Sessions with a single event (bounced) against sessions with more, per day: \(bounced) of \(sessions) sessions bounced.",
                                       items: items, valueTitle: "sessions", colorIndex: 3)
        s += figure(chart.svg(id: "chart-bounce-rate"), caption: "Sessions that bounced (one event) and the rest.", scroll: false)
        s += table(d.bounceRate, query: "bounce-rate", caption: "bounce-rate per day")
        return s + "</section>\n"
    }

    static func sessions(_ d: ReportData) -> String {
        var s = open("sessions")
        s += source("top-sessions", "limit=\(max(20, d.topSessions.rows.count)) from=\(Timestamp.instant(d.window.lowerBound)) to=\(Timestamp.instant(d.window.upperBound))")
        guard !d.topSessions.rows.isEmpty else { return s + empty("No sessions active in this window.") + "</section>\n" }
        let chart = HorizontalBarChart(title: "Sessions ranked by events",
                                       description: "Bar chart of the \(d.topSessions.rows.count) sessions active in the window with the most events (all their events, not only the window's); the busiest is \(d.topSessions.rows[0][0].description) with \(d.topSessions.rows[0][1].description).",
                                       items: d.topSessions.rows.map { ($0[0].description, Double(int($0[1])), nil) }, valueTitle: "events in the session", colorIndex: 4)
        s += figure(chart.svg(id: "chart-sessions"), caption: "Sessions active in the window, by their event count.", scroll: false)
        s += details("Table", table(d.topSessions, query: "top-sessions", caption: "top-sessions rows"))
        return s + "</section>\n"
    }

    static func anomalies(_ d: ReportData) -> String {
        var s = open("anomalies")
        s += source("anomalies", dayParams(d))
        guard !d.anomalies.rows.isEmpty else { return s + empty("No anomalies in this window.") + "</section>\n" }
        let kinds = Array(Set(d.anomalies.rows.map { $0[2].description })).sorted()
        let points: [(ms: Int64, lane: Int, label: String)] = d.anomalies.rows.compactMap { row in
            guard let ms = instantMs(row[0].description) else { return nil }
            return (ms, kinds.firstIndex(of: row[2].description)!, "\(row[0].description) \(row[2].description) session \(row[1].description): \(row[3].description)")
        }
        let counts = kinds.map { k in "\(d.anomalies.rows.filter { $0[2].description == k }.count) \(k)" }.joined(separator: ", ")
        let chart = TimelineChart(title: "Anomalies over event time",
                                  description: "Timeline of \(d.anomalies.rows.count) anomalies, one lane per kind: \(counts). Each is listed in the table below.",
                                  axis: TimeAxis(window: d.window), lanes: kinds, points: points, xTitle: "event time (UTC)")
        s += figure(chart.svg(id: "chart-anomalies"), caption: "Each dot is an anomaly at its time (a minute or an event's instant).", scroll: true)
        s += table(d.anomalies, query: "anomalies", caption: "anomalies in the window")
        return s + "</section>\n"
    }

    static func quarantine(_ d: ReportData) -> String {
        var s = open("quarantine")
        let ids = d.runs.rows.map { $0[0].description }
        s += source("quarantine-summary", ids.isEmpty ? "run=…" : ids.reversed().map { "run=\($0)" }.joined(separator: ", ") + " (summed)")
        guard !d.quarantine.rows.isEmpty else { return s + empty("Nothing was quarantined by these runs.") + "</section>\n" }
        var byReason: [String: Int64] = [:]
        for row in d.quarantine.rows { byReason[row[0].description, default: 0] += int(row[2]) }
        let reasons = byReason.keys.sorted { byReason[$0]! > byReason[$1]! || (byReason[$0]! == byReason[$1]! && $0 < $1) }
        let chart = HorizontalBarChart(title: "Quarantined records by reason",
                                       description: "Bar chart of rejected records by reason: " + reasons.map { "\($0) \(byReason[$0]!)" }.joined(separator: ", ") + ".",
                                       items: reasons.map { ($0, Double(byReason[$0]!), nil) }, valueTitle: "records", colorIndex: 3)
        s += figure(chart.svg(id: "chart-quarantine"), caption: "Rejected records by reason; by source in the table.", scroll: false)
        let shown = QueryResult(columns: d.quarantine.columns, rows: Array(d.quarantine.rows.prefix(200)))
        let more = d.quarantine.rows.count > 200 ? " (the first 200 of \(d.quarantine.rows.count))" : ""
        s += details("By reason and source\(more)", table(shown, query: "quarantine-summary", caption: "quarantine by reason and source"))
        return s + "</section>\n"
    }

    static func runs(_ d: ReportData) -> String {
        var s = open("runs")
        s += "<p class=\"source\">From the <code>runs</code> table (<code>clickstream status</code>): replays and exports whose window overlaps the report's, and streams that were running during it.</p>"
        guard !d.runs.rows.isEmpty else { return s + empty("No run recorded for this window.") + "</section>\n" }
        s += table(d.runs, query: nil, caption: "runs, newest first")
        return s + "</section>\n"
    }

    static func lineage(_ d: ReportData) -> String {
        var s = open("lineage")
        s += "<p class=\"source\">Where the rows came from: each source of those runs, the S3 objects the store's manifest holds for the window, and the Kinesis shards' checkpoints.</p>"
        s += d.lineage.rows.isEmpty ? empty("No sources recorded.") : table(d.lineage, query: nil, caption: "sources")
        if !d.s3Objects.rows.isEmpty { s += table(d.s3Objects, query: nil, caption: "S3 objects read, by bucket and partition hour") }
        if !d.shards.rows.isEmpty { s += table(d.shards, query: nil, caption: "Kinesis shard checkpoints") }
        return s + "</section>\n"
    }

    // MARK: Pieces

    static func open(_ id: String) -> String {
        let heading = sections.first { $0.id == id }!.heading
        return "<section id=\"\(id)\" aria-labelledby=\"\(id)-heading\"><h2 id=\"\(id)-heading\">\(HTML.escape(heading))</h2>"
    }

    static func source(_ query: String, _ params: String) -> String {
        "<p class=\"source\">Query <code>\(query)</code> (\(HTML.escape(params)))</p>"
    }

    static func empty(_ text: String) -> String { "<p class=\"empty\">\(HTML.escape(text))</p>" }

    static func figure(_ svg: String, caption: String, scroll: Bool) -> String {
        "<figure>" + (scroll ? "<div class=\"chart-scroll\">\(svg)</div>" : svg) + "<figcaption>\(HTML.escape(caption))</figcaption></figure>"
    }

    static func details(_ summary: String, _ content: String) -> String {
        "<details><summary>\(HTML.escape(summary))</summary>\(content)</details>"
    }

    /// A query's rows as they are (NULL as an empty cell); `data-query` and `data-params` say which canned query
    /// gave them, so a test (or a person) can run it and compare.
    static func table(_ r: QueryResult, query: String?, params: String? = nil, caption: String) -> String {
        let numeric = r.columns.indices.map { c in
            r.rows.contains { if case .integer = $0[c] { return true }; if case .real = $0[c] { return true }; return false }
        }
        let rows = r.rows.map { $0.map { $0 == .null ? "" : $0.description } }
        var attributes = ""
        if let query { attributes += " data-query=\"\(query)\"" }
        if let params { attributes += " data-params=\"\(HTML.escape(params))\"" }
        return textTable(caption: caption, columns: r.columns, rows: rows, numeric: numeric, attributes: attributes)
    }

    static func textTable(caption: String, columns: [String], rows: [[String]], numeric: [Bool], attributes: String = "") -> String {
        var s = "<div class=\"table-scroll\"><table\(attributes)><caption>\(HTML.escape(caption))</caption><thead><tr>"
        for (c, name) in columns.enumerated() { s += "<th scope=\"col\"\(numeric[c] ? " class=\"num\"" : "")>\(HTML.escape(name))</th>" }
        s += "</tr></thead><tbody>"
        for row in rows {
            s += "<tr>"
            for (c, cell) in row.enumerated() { s += "<td\(c < numeric.count && numeric[c] ? " class=\"num\"" : "")>\(HTML.escape(cell))</td>" }
            s += "</tr>"
        }
        return s + "</tbody></table></div>"
    }

    static func dayParams(_ d: ReportData) -> String {
        d.days.count == 1 ? "day=\(d.days[0])" : "day=\(d.days.first!) … day=\(d.days.last!) (one run per day)"
    }

    static func hourKeys(_ window: Range<Int64>) -> [String] {
        stride(from: window.lowerBound.floorDiv(3_600_000) * 3_600_000, to: window.upperBound, by: 3_600_000).map { Timestamp.hourKey($0) }
    }

    static func int(_ v: SQLValue) -> Int64 {
        switch v {
        case .integer(let i): return i
        case .real(let r): return Int64(r)
        default: return 0
        }
    }

    /// Epoch ms of an anomaly's `at`: a minute (`YYYY-MM-DDTHH:MM`) or an instant.
    static func instantMs(_ at: String) -> Int64? {
        guard at.count >= 16, let hour = Timestamp.parseHourKey(String(at.prefix(13))),
              let minute = Int64(at.dropFirst(14).prefix(2)) else { return nil }
        var ms = hour + minute * 60_000
        if at.count >= 19, let second = Int64(at.dropFirst(17).prefix(2)) { ms += second * 1000 }
        return ms
    }
}
