import CurlHTTP
import Foundation

/// One object of a decoded AWS JSON response, read field by field. A required field that is absent (or of another
/// type) throws an `AWSError` naming the service, operation, resource and the field's path in the response, e.g.
/// `kinesis ListShards on stream s failed after 1 attempt: HTTP 200 InvalidResponse: no Shards[2].ShardId in
/// response`; it never becomes an empty string. Optional fields are read as optionals.
struct AWSResponseObject {
    let fields: [String: Any]
    /// Where this object sits in the response (`""` for the top level, `Shards[2]`), for error messages.
    let path: String
    let context: Context

    /// What a missing field's error names.
    struct Context {
        var service: AWSService
        var operation: String
        var resource: String
        var httpStatus: Int
    }

    init(_ fields: [String: Any], path: String = "", context: Context) {
        self.fields = fields
        self.path = path
        self.context = context
    }

    init(_ fields: [String: Any], call: AWSCall, httpStatus: Int) {
        self.init(fields, context: Context(service: call.service, operation: call.operation, resource: call.resource,
                                           httpStatus: httpStatus))
    }

    func string(_ key: String) throws -> String { try required(key, "a string") }
    func optionalString(_ key: String) -> String? { fields[key] as? String }

    func int(_ key: String) throws -> Int { try number(key).intValue }
    func optionalInt(_ key: String) -> Int? { (fields[key] as? NSNumber)?.intValue }
    func double(_ key: String) throws -> Double { try number(key).doubleValue }

    func strings(_ key: String) throws -> [String] { try required(key, "a list of strings") }

    func object(_ key: String) throws -> AWSResponseObject {
        AWSResponseObject(try required(key, "an object"), path: name(key), context: context)
    }

    /// A required list of objects.
    func objects(_ key: String) throws -> [AWSResponseObject] {
        let list: [Any] = try required(key, "a list")
        return try list.enumerated().map { i, element in
            guard let fields = element as? [String: Any] else {
                throw invalid("\(name(key))[\(i)] in response is not an object")
            }
            return AWSResponseObject(fields, path: "\(name(key))[\(i)]", context: context)
        }
    }

    /// A list of objects that may be absent (absent reads as empty).
    func optionalObjects(_ key: String) throws -> [AWSResponseObject] {
        fields[key] == nil ? [] : try objects(key)
    }

    /// The error for a response that does not hold what the operation promises.
    func invalid(_ message: String) -> AWSError {
        AWSError(service: context.service, operation: context.operation, resource: context.resource,
                 httpStatus: context.httpStatus, code: "InvalidResponse", message: message, attempts: 1)
    }

    private func number(_ key: String) throws -> NSNumber { try required(key, "a number") }

    private func required<T>(_ key: String, _ kind: String) throws -> T {
        guard let value = fields[key] else { throw invalid("no \(name(key)) in response") }
        guard let typed = value as? T else { throw invalid("\(name(key)) in response is not \(kind)") }
        return typed
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
