/// Where the results database is when nothing names it: `CLICKSTREAM_DB` (when set and not empty), else
/// `clickstream.sqlite` in the working directory. One rule for `--db` and for a job file's `[job] db`.
public enum DefaultDatabase {
    public static func path(environment: [String: String]) -> String {
        environment["CLICKSTREAM_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "clickstream.sqlite"
    }
}
