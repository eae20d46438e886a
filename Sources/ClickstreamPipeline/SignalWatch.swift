import Dispatch
import Foundation

/// SIGINT and SIGTERM turned into a `StopSignal` for as long as the watch lives: the first signal asks the run to
/// stop (and says so on stderr); the default action is restored once the watch ends, so a second Ctrl-C after it
/// still ends the process at once.
public final class SignalWatch {
    private let sources: [any DispatchSourceSignal]

    public init(_ stop: StopSignal, log: Log, saying message: @escaping @Sendable (String) -> String) {
        sources = [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if !stop.isRaised { log.info(message(sig == SIGINT ? "SIGINT" : "SIGTERM"), event: "signal") }
                stop.raise()
            }
            source.resume()
            return source
        }
    }

    deinit {
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
