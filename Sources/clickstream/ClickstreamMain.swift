import ArgumentParser
import ClickstreamCore
import ClickstreamPipeline
import Foundation

/// Parses and runs the command. How a failure ends the process — the line on stderr and the exit code — is
/// decided in `fail(_:)` and nowhere else; commands only throw.
@main
enum ClickstreamMain {
    static func main() {
        ProcessTuning.configureAllocator()
        ProcessTuning.ignoreSIGPIPE()
        do {
            var command = try Clickstream.parseAsRoot()
            try command.run()
        } catch {
            fail(error)
        }
    }

    /// - A `ClickstreamError` exits with its own code (its kind decides: 1 a source or sink, 2 usage or
    ///   configuration) and prints `error: subject: message`.
    /// - An error of the argument parser (a bad flag, a failed `validate()`) prints its first line and a pointer
    ///   to `--help`, and exits 2; `--help` and `--version` print to stdout and exit 0.
    /// - Anything else is a failure nobody named: exit 1 with its text.
    /// With `--log-format json` the error is one JSON object (`event: "error"`, `exit_code`, `kind`, `subject`).
    static func fail(_ error: any Error) -> Never {
        if let e = error as? ClickstreamError {
            report(e.description, code: e.exitCode, ["kind": e.kind.rawValue, "subject": e.subject ?? NSNull(), "reason": e.message])
        }
        switch Clickstream.exitCode(for: error) {
        case .success:
            try? Console.out(Clickstream.fullMessage(for: error))
            exit(0)
        case .validationFailure:
            // One line; the usage is one --help away.
            let line = Clickstream.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            report(line + " (see --help)", code: 2, ["kind": "usage"])
        default:
            report(Clickstream.message(for: error), code: 1, [:])
        }
    }

    static func report(_ message: String, code: Int32, _ fields: [String: Any]) -> Never {
        let line: String
        if LogOptions.jsonRequested(CommandLine.arguments) {
            line = Log.jsonLine("error", "error", message, fields.merging(["exit_code": Int(code)]) { a, _ in a })
        } else {
            // Line by line: a message may list several items, but no line may carry a control character.
            line = "error: " + message.split(separator: "\n", omittingEmptySubsequences: false)
                .map { String($0).escapingControlCharacters }.joined(separator: "\n")
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
        exit(code)
    }
}
