import Foundation

/// A fresh directory under the system temporary directory, removed with everything in it when this value
/// is released. Paths given to its methods are relative to it; parent folders are created as needed.
public final class TemporaryDirectory: Sendable {
    /// Absolute path, no trailing slash.
    public let path: String

    public init(prefix: String = "clickstream") throws {
        var template = Array((NSTemporaryDirectory() + "/\(prefix).XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            let name = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: name])
        }
        path = URL(fileURLWithPath: String(cString: created)).standardizedFileURL.path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The absolute path of `relativePath` inside this directory.
    public func url(_ relativePath: String) -> String {
        relativePath.isEmpty ? path : path + "/" + relativePath
    }

    /// Writes `bytes` to `relativePath`, creating parent folders; returns the absolute path.
    @discardableResult
    public func write(_ relativePath: String, bytes: [UInt8]) throws -> String {
        let target = url(relativePath)
        let parent = (target as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    /// Writes `text` as UTF-8 to `relativePath`, creating parent folders; returns the absolute path.
    @discardableResult
    public func write(_ relativePath: String, _ text: String) throws -> String {
        try write(relativePath, bytes: Array(text.utf8))
    }

    /// Creates the folder `relativePath` and its parents; returns the absolute path.
    @discardableResult
    public func makeDirectory(_ relativePath: String) throws -> String {
        let target = url(relativePath)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        return target
    }
}
