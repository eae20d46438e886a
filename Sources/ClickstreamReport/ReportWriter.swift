import ClickstreamCore
import ClickstreamPipeline
import ClickstreamQueries
import ClickstreamStore
import Foundation

/// Writes the HTML report of a window: reads the database (read-only: a report never waits for, nor blocks, a
/// writer), renders it and replaces `outputPath` atomically, so a reader never sees half a page.
public struct ReportWriter: Sendable {
    public var databasePath: String
    public var window: Range<Int64>
    public var outputPath: String
    /// Folder of canned queries; nil: `QueryCatalog.locate()`.
    public var queriesDirectory: String?
    /// The instant shown as "made"; nil: the clock.
    public var generatedAtMs: Int64?

    public init(databasePath: String, window: Range<Int64>, outputPath: String, queriesDirectory: String? = nil,
                generatedAtMs: Int64? = nil) {
        self.databasePath = databasePath
        self.window = window
        self.outputPath = outputPath
        self.queriesDirectory = queriesDirectory
        self.generatedAtMs = generatedAtMs
    }

    /// What was written.
    public struct Outcome: Sendable {
        public var path: String
        public var bytes: Int
        public var charts: Int
        public var events: Int64
        public var anomalies: Int
    }

    /// Throws a `ClickstreamError`: usage for a window over `ReportData.maximumDays`, database for a missing or
    /// unreadable database, sink for a broken canned query or an output file that cannot be written.
    @discardableResult
    public func write() throws -> Outcome {
        let data = try load()
        let html = HTMLReport.render(data)
        let bytes = Data(html.utf8)
        let directory = (outputPath as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            try bytes.write(to: URL(fileURLWithPath: outputPath), options: .atomic)
        } catch {
            throw ClickstreamError(.sink, "report \(outputPath)", "cannot be written: \(error.localizedDescription)")
        }
        let charts = html.components(separatedBy: "<svg class=\"chart").count - 1
        let events = data.eventsPerMinute.rows.reduce(Int64(0)) { $0 + HTMLReport.int($1[2]) }
        return Outcome(path: outputPath, bytes: bytes.count, charts: charts, events: events, anomalies: data.anomalies.rows.count)
    }

    /// The report's data, for callers that render it themselves (tests compare it with the canned queries).
    public func load() throws -> ReportData {
        let days = ReportData.days(of: window).count
        guard days <= ReportData.maximumDays else {
            throw ClickstreamError(.usage, "report", "the window touches \(days) days; a report covers at most \(ReportData.maximumDays) (make one per week or month)")
        }
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw ClickstreamError(.database, "database \(databasePath)", "does not exist; run `clickstream replay` or `clickstream demo` first")
        }
        let database: Database
        do { database = try Database(path: databasePath, readOnly: true) } catch {
            throw ClickstreamError.wrapping(error, .database, "database \(databasePath)")
        }
        let catalog = QueryCatalog.locate(explicit: queriesDirectory)
        let made = Timestamp.instant(generatedAtMs ?? Clock.nowMs())
        do {
            return try ReportData.load(database: database, databasePath: databasePath, catalog: catalog, window: window, generatedAt: made)
        } catch let e as QueryError {
            throw ClickstreamError(.sink, "report", e.description)
        } catch {
            throw ClickstreamError.wrapping(error, .database, "database \(databasePath)")
        }
    }
}
