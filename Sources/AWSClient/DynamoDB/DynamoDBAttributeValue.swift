import CurlHTTP
import Foundation

/// A DynamoDB attribute value. Numbers stay decimal strings, as DynamoDB sends them.
public indirect enum DynamoDBAttributeValue: Sendable, Equatable {
    case s(String)
    case n(String)
    case b([UInt8])
    case bool(Bool)
    case null
    case ss([String])
    case ns([String])
    case bs([[UInt8]])
    case l([DynamoDBAttributeValue])
    case m([String: DynamoDBAttributeValue])

    /// The wire form, e.g. `{"S": "x"}`.
    var json: [String: Any] {
        switch self {
        case let .s(v): return ["S": v]
        case let .n(v): return ["N": v]
        case let .b(v): return ["B": Data(v).base64EncodedString()]
        case let .bool(v): return ["BOOL": v]
        case .null: return ["NULL": true]
        case let .ss(v): return ["SS": v]
        case let .ns(v): return ["NS": v]
        case let .bs(v): return ["BS": v.map { Data($0).base64EncodedString() }]
        case let .l(v): return ["L": v.map(\.json)]
        case let .m(v): return ["M": v.mapValues(\.json)]
        }
    }

    init?(json: Any) {
        guard let object = json as? [String: Any], let (type, value) = object.first else { return nil }
        switch type {
        case "S": guard let v = value as? String else { return nil }; self = .s(v)
        case "N": guard let v = value as? String else { return nil }; self = .n(v)
        case "B": guard let v = (value as? String).flatMap({ Data(base64Encoded: $0) }) else { return nil }; self = .b([UInt8](v))
        case "BOOL": guard let v = value as? Bool else { return nil }; self = .bool(v)
        case "NULL": self = .null
        case "SS": guard let v = value as? [String] else { return nil }; self = .ss(v)
        case "NS": guard let v = value as? [String] else { return nil }; self = .ns(v)
        case "BS":
            guard let v = value as? [String] else { return nil }
            self = .bs(v.compactMap { Data(base64Encoded: $0) }.map { [UInt8]($0) })
        case "L":
            guard let v = value as? [Any] else { return nil }
            self = .l(v.compactMap { DynamoDBAttributeValue(json: $0) })
        case "M":
            guard let v = value as? [String: Any] else { return nil }
            self = .m(v.compactMapValues { DynamoDBAttributeValue(json: $0) })
        default: return nil
        }
    }

    static func item(_ item: [String: DynamoDBAttributeValue]) -> [String: Any] { item.mapValues(\.json) }

    static func item(json: Any?) -> [String: DynamoDBAttributeValue] {
        (json as? [String: Any] ?? [:]).compactMapValues { DynamoDBAttributeValue(json: $0) }
    }
}

/// An item or key: attribute name to value.
public typealias DynamoDBItem = [String: DynamoDBAttributeValue]
