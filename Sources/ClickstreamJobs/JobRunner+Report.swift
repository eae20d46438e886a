import ClickstreamCore
import ClickstreamReport
import Foundation

extension JobRunner {
    /// The `[report]` step: the window's HTML report to `<output_dir>/<first day of the window>.html`.
    func writeReport(_ report: JobFile.Report, window: Range<Int64>) throws -> ReportWriter.Outcome {
        let day = String(Timestamp.hourKey(window.lowerBound).prefix(10))
        let path = (report.outputDirectory as NSString).appendingPathComponent("\(day).html")
        let outcome = try ReportWriter(databasePath: job.databasePath, window: window, outputPath: path,
                                       queriesDirectory: queriesDirectory).write()
        log.info("job \(job.name): report -> \(path) (\(outcome.charts) charts, \(outcome.events) events, \(outcome.anomalies) anomalies)")
        return outcome
    }
}
