import ClickstreamSamples

/// The traffic a benchmark archive is generated with. The default is the production shape: many short sessions
/// (2,000,000 events in 200,000 sessions, mostly 2–15 events). `seed` is the production test client's 1–10 events
/// per session; `long` the 25-event sessions earlier versions of this benchmark used (which flatter the writer:
/// 2.5× fewer sessions for the same events).
struct BenchShape: CustomStringConvertible {
    enum Lengths { case exponential(mean: Int), uniform(ClosedRange<Int>) }
    private(set) var name: String
    private(set) var lengths: Lengths

    /// `--shape sessions|seed|long`, with `--sessions N` overriding the mean (events / N per session).
    init?(name: String, events: Int, sessions: Int?) {
        self.name = name
        switch name {
        case "sessions": lengths = .exponential(mean: 10)
        case "seed": lengths = .uniform(1...10)
        case "long": lengths = .exponential(mean: 25)
        default: return nil
        }
        if let sessions, sessions > 0 {
            lengths = .exponential(mean: max(1, events / sessions))
            self.name = "\(name)-\(sessions)s"
        }
    }

    /// The generator's arguments for this shape (passed to the `generate` child).
    var generatorArguments: [String] {
        switch lengths {
        case .exponential(let mean): return ["--mean-session", "\(mean)"]
        case .uniform(let r): return ["--uniform-session", "\(r.lowerBound)-\(r.upperBound)"]
        }
    }

    /// Applies `generate`'s arguments to the generator's options.
    static func apply(_ arguments: [String], to o: inout SampleGenerator.Options) {
        if let i = arguments.firstIndex(of: "--mean-session"), i + 1 < arguments.count, let m = Int(arguments[i + 1]) {
            o.meanEventsPerSession = m
        }
        if let i = arguments.firstIndex(of: "--uniform-session"), i + 1 < arguments.count {
            let bounds = arguments[i + 1].split(separator: "-").compactMap { Int($0) }
            if bounds.count == 2 { o.uniformSessionLengths = bounds[0]...bounds[1] }
        }
    }

    var description: String {
        switch lengths {
        case .exponential(let mean): return "\(name) (sessions of about \(mean) events)"
        case .uniform(let r): return "\(name) (sessions of \(r.lowerBound)–\(r.upperBound) events)"
        }
    }
}
