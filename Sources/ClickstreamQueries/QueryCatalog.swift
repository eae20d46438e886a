import Foundation

/// The folder of canned queries (`queries/*.sql`) and the lookup of a query by name or by path.
public struct QueryCatalog: Sendable {
    /// The folder, or nil when none was found (then only paths to `.sql` files can be used).
    public let directory: String?
    /// The places `locate` looked, for the error message when a name is asked for and there is no folder.
    public let searched: [String]

    public init(directory: String?, searched: [String] = []) {
        self.directory = directory
        self.searched = searched
    }

    /// Finds the queries folder, first match wins: `explicit`, `$CLICKSTREAM_QUERIES`, `./queries`, then a
    /// `queries` folder in the executable's folder or any folder above it (the package root when it runs from
    /// `.build/…`), then the source checkout this library was built from.
    public static func locate(explicit: String? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              currentDirectory: String = FileManager.default.currentDirectoryPath,
                              executablePath: String? = CommandLine.arguments.first) -> QueryCatalog {
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        if let env = environment["CLICKSTREAM_QUERIES"], !env.isEmpty { candidates.append(env) }
        candidates.append((currentDirectory as NSString).appendingPathComponent("queries"))
        if let exe = executablePath, !exe.isEmpty {
            let absolute = exe.hasPrefix("/") ? exe : (currentDirectory as NSString).appendingPathComponent(exe)
            var dir = ((absolute as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
            while !dir.isEmpty {
                candidates.append((dir as NSString).appendingPathComponent("queries"))
                let parent = (dir as NSString).deletingLastPathComponent
                if parent == dir { break }
                dir = parent
            }
        }
        // Sources/ClickstreamQueries/QueryCatalog.swift -> the package root.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        candidates.append((packageRoot as NSString).appendingPathComponent("queries"))

        var seen = Set<String>()
        let unique = candidates.map { ($0 as NSString).standardizingPath }.filter { seen.insert($0).inserted }
        // An explicit folder or $CLICKSTREAM_QUERIES is used as given, even when it does not exist, so a typo is reported.
        if let first = unique.first, explicit != nil || environment["CLICKSTREAM_QUERIES"].map({ !$0.isEmpty }) == true {
            return QueryCatalog(directory: first, searched: [first])
        }
        for dir in unique where isDirectory(dir) {
            return QueryCatalog(directory: dir, searched: unique)
        }
        return QueryCatalog(directory: nil, searched: unique)
    }

    /// Names of the queries in the folder, sorted.
    public func names() throws -> [String] {
        guard let directory else { throw QueryError.noCatalog(searched: searched) }
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw QueryError.unreadableFile(path: directory, reason: "not a readable folder")
        }
        return files.filter { $0.hasSuffix(".sql") && !$0.hasPrefix(".") && !$0.hasPrefix("_") }
            .map { String($0.dropLast(4)) }.sorted()
    }

    /// Every query in the folder, sorted by name.
    public func all() throws -> [CannedQuery] {
        try names().map { try query($0) }
    }

    /// A query by name (`top-pages`) from the folder, or by path when the argument ends in `.sql` or contains `/`.
    public func query(_ nameOrPath: String) throws -> CannedQuery {
        if nameOrPath.hasSuffix(".sql") || nameOrPath.contains("/") {
            return try Self.load(path: nameOrPath)
        }
        guard let directory else { throw QueryError.noCatalog(searched: searched) }
        let path = (directory as NSString).appendingPathComponent(nameOrPath + ".sql")
        guard FileManager.default.fileExists(atPath: path) else {
            throw QueryError.unknownQuery(name: nameOrPath, known: (try? names()) ?? [])
        }
        return try Self.load(path: path)
    }

    /// Reads and parses one query file; its name is the file name without `.sql`.
    public static func load(path: String) throws -> CannedQuery {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file"
            throw QueryError.unreadableFile(path: path, reason: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw QueryError.unreadableFile(path: path, reason: "not UTF-8 text")
        }
        var name = (path as NSString).lastPathComponent
        if name.hasSuffix(".sql") { name.removeLast(4) }
        return try CannedQuery(name: name, text: text, path: path)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }
}
