import CurlHTTP
import Foundation

extension AWSTransport {
    /// Builds an unsigned AWS query-protocol call (`POST /`, form-encoded `Action`, `Version` and parameters), as
    /// SNS and CloudWatch speak it. Parameters keep their order: they are flattened lists (`member.1.…`).
    func queryCall(_ service: AWSService, action: String, version: String, resource: String,
                   parameters: [(String, String)]) -> AWSCall {
        let body = ([("Action", action), ("Version", version)] + parameters)
            .map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }
            .joined(separator: "&")
        let request = HTTPRequest(method: "POST", url: config.endpoint(for: service) + "/", headers: [
            HTTPHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ], body: Array(body.utf8))
        return AWSCall(service: service, operation: action, resource: resource, request: request)
    }

    /// The text of the first `<name>` element of a query-protocol (XML) response, entities decoded.
    static func xmlValue(_ name: String, in response: HTTPResponse) -> String? {
        let text = String(decoding: response.body, as: UTF8.self)
        guard let open = text.range(of: "<\(name)>"), let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex) else {
            return nil
        }
        return XMLEntities.decode(String(text[open.upperBound..<close.lowerBound]))
    }
}
