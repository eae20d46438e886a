import ArgumentParser
import ClickstreamPipeline
import Foundation

/// Parses and runs the command. How a failure ends the process — the line on stderr and the exit code of
/// DESIGN.md §2 — is decided in `fail(_:)` and nowhere else; commands only throw.
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
    ///   to `--help`, and exits 2; `--help` itself prints the help and exits 0.
    /// - Anything else is a failure nobody named: exit 1 with its text.
    static func fail(_ error: any Error) -> Never {
        if let e = error as? ClickstreamError {
            printError("error: \(e.description)")
            exit(e.exitCode)
        }
        switch Clickstream.exitCode(for: error) {
        case .success: // --help, --version
            print(Clickstream.fullMessage(for: error))
            exit(0)
        case .validationFailure:
            // One line (DESIGN.md §2); the usage is one --help away.
            let line = Clickstream.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            printError("error: \(line) (see --help)")
            exit(2)
        default:
            printError("error: \(Clickstream.message(for: error))")
            exit(1)
        }
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
