import CurlHTTP
import Foundation

/// Amazon SNS: `Publish` (query protocol), for anomaly alerts.
public struct SNSClient: Sendable {
    public let transport: AWSTransport

    public init(transport: AWSTransport) { self.transport = transport }

    /// Publishes `message` to `topicArn` with string message attributes (for subscription filter policies);
    /// returns the message id. Retried as every call is; the error names the topic.
    @discardableResult
    public func publish(topicArn: String, message: String, attributes: [(name: String, value: String)] = []) throws -> String {
        var parameters = [("TopicArn", topicArn), ("Message", message)]
        for (i, a) in attributes.enumerated() {
            let p = "MessageAttributes.entry.\(i + 1)"
            parameters += [("\(p).Name", a.name), ("\(p).Value.DataType", "String"), ("\(p).Value.StringValue", a.value)]
        }
        let call = transport.queryCall(.sns, action: "Publish", version: "2010-03-31", resource: "topic \(topicArn)", parameters: parameters)
        let response = try transport.execute(call)
        guard let id = AWSTransport.xmlValue("MessageId", in: response) else {
            throw AWSError(service: .sns, operation: "Publish", resource: "topic \(topicArn)", httpStatus: response.status,
                           code: "InvalidResponse", message: "no MessageId in the response", attempts: 1)
        }
        return id
    }
}
