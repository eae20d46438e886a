import CurlHTTP
import Foundation

extension AWSTransport {
    /// Builds an unsigned AWS JSON-protocol call (`POST /` with `X-Amz-Target`).
    func jsonCall(_ service: AWSService, operation: String, resource: String, body: [String: Any]) throws -> AWSCall {
        let (contentType, prefix): (String, String)
        switch service {
        case .kinesis: (contentType, prefix) = ("application/x-amz-json-1.1", "Kinesis_20131202")
        case .dynamodb: (contentType, prefix) = ("application/x-amz-json-1.0", "DynamoDB_20120810")
        case .s3, .sns, .monitoring, .sts, .sso: preconditionFailure("\(service.rawValue) does not use the JSON protocol here")
        }
        let data = try JSONSerialization.data(withJSONObject: body, options: [])
        let request = HTTPRequest(method: "POST", url: config.endpoint(for: service) + "/", headers: [
            HTTPHeader("Content-Type", contentType),
            HTTPHeader("X-Amz-Target", "\(prefix).\(operation)"),
        ], body: Array(data))
        return AWSCall(service: service, operation: operation, resource: resource, request: request)
    }

    /// Runs a JSON-protocol call and returns the decoded response object.
    func json(_ service: AWSService, operation: String, resource: String, body: [String: Any]) throws -> AWSResponseObject {
        let call = try jsonCall(service, operation: operation, resource: resource, body: body)
        let response = try execute(call)
        return try Self.decodeResponse(response, call: call)
    }

    /// `decodeJSON`, ready to be read field by field with errors that name `call`.
    static func decodeResponse(_ response: HTTPResponse, call: AWSCall) throws -> AWSResponseObject {
        AWSResponseObject(try decodeJSON(response, call: call), call: call, httpStatus: response.status)
    }

    static func decodeJSON(_ response: HTTPResponse, call: AWSCall) throws -> [String: Any] {
        if response.body.isEmpty { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw AWSError(service: call.service, operation: call.operation, resource: call.resource, httpStatus: response.status,
                           code: "InvalidResponse", message: "response body is not a JSON object", attempts: 1)
        }
        return object
    }
}
