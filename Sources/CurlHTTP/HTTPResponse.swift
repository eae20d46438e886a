/// A complete HTTP response. Header names are lowercased; repeated headers are joined with `, `.
/// The body is exactly the bytes received: no content decoding (a gzip object stays gzip).
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}
