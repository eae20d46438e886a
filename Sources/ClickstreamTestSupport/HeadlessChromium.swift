import Foundation

/// A real browser for tests: headless Chromium (Debian package `chromium`, installed by `scripts/bootstrap.sh`)
/// loading a local file with the network disabled — every host name resolves to nothing and every request goes
/// to a dead proxy on 127.0.0.1 — and a fresh profile per call, so runs in parallel never share state.
public enum HeadlessChromium {
    public struct Result {
        public var status: Int32
        /// `--dump-dom`'s serialized DOM after the load event; empty for a screenshot.
        public var dom: String
        /// Every message the page logged to its console (errors, CSP violations, failed loads), as Chromium prints them.
        public var console: [String]
        public var stderr: String
    }

    /// `$CHROMIUM`, else `chromium` or `chromium-browser` on the PATH; nil when none is installed.
    public static var path: String? {
        if let env = ProcessInfo.processInfo.environment["CHROMIUM"], !env.isEmpty { return env }
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser"] {
            for dir in dirs where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") { return "\(dir)/\(name)" }
        }
        return nil
    }

    /// Saves a PNG of `file` at a `width` × `height` viewport.
    public static func screenshot(_ file: String, to png: String, width: Int, height: Int) throws -> Result {
        try run(["--screenshot=\(png)", "--window-size=\(width),\(height)", fileURL(file)])
    }

    /// The DOM of `file` after its scripts ran, at a `width` × `height` viewport (at least 500 px wide: a
    /// narrower page is tested in a frame). `allowFileAccess` lets a file:// page read the file:// frames it loads.
    public static func dumpDOM(_ file: String, width: Int, height: Int, allowFileAccess: Bool = false) throws -> Result {
        try run(["--dump-dom", "--virtual-time-budget=3000", "--window-size=\(width),\(height)"]
                + (allowFileAccess ? ["--allow-file-access-from-files"] : []) + [fileURL(file)])
    }

    static func fileURL(_ path: String) -> String {
        URL(fileURLWithPath: path).absoluteString
    }

    static func run(_ arguments: [String]) throws -> Result {
        guard let path else {
            throw NSError(domain: "HeadlessChromium", code: 1, userInfo: [NSLocalizedDescriptionKey:
                "chromium is not installed (Debian package `chromium`; scripts/bootstrap.sh installs it)"])
        }
        let profile = try TemporaryDirectory(prefix: "chromium-profile")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--mute-audio",
            "--user-data-dir=\(profile.path)",
            // No network: nothing resolves, and anything that would connect goes to the discard port on loopback.
            "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            "--enable-logging=stderr", "--v=0",
        ] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = profile.path // keeps Chromium's caches out of the real home
        p.environment = environment
        let r = try ProcessOutput.run(p)
        let stderr = String(decoding: r.stderr, as: UTF8.self)
        let console = stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return Result(status: r.status, dom: String(decoding: r.stdout, as: UTF8.self), console: console, stderr: stderr)
    }
}
