import CurlHTTP
/// A failed AWS call, with everything a person needs to act on it. Prints as, for example,
/// `kinesis GetRecords on stream clicks shard shardId-000000000001 failed after 8 attempts: HTTP 400
/// ProvisionedThroughputExceededException: Rate exceeded`, or for a transport failure
/// `s3 GetObject on bucket b key k failed after 8 attempts: could not connect to http://127.0.0.1:9/b/k: ...`.
public struct AWSError: Error, CustomStringConvertible, Sendable, Equatable {
    public var service: AWSService
    public var operation: String
    /// e.g. `bucket B key K`, `stream S shard X`, `table T`; empty when the call has none.
    public var resource: String
    /// nil when no HTTP response arrived.
    public var httpStatus: Int?
    /// The AWS error code (`__type`, `<Code>` or `x-amzn-errortype`), nil when none was given.
    public var code: String?
    /// The AWS error message, or the transport failure.
    public var message: String
    public var attempts: Int
    /// True when the last failure was throttling.
    public var isThrottling: Bool

    public init(service: AWSService, operation: String, resource: String, httpStatus: Int?, code: String?,
                message: String, attempts: Int, isThrottling: Bool = false) {
        self.service = service
        self.operation = operation
        self.resource = resource
        self.httpStatus = httpStatus
        self.code = code
        // The one place an AWS error's text is built: secrets (an echoed canonical request's token, a signature,
        // any key a provider handed out) never leave in it.
        self.message = Redaction.redact(message)
        self.attempts = attempts
        self.isThrottling = isThrottling
    }

    public var description: String {
        var text = "\(service.rawValue) \(operation)"
        if !resource.isEmpty { text += " on \(resource)" }
        text += " failed after \(attempts) attempt\(attempts == 1 ? "" : "s"): "
        if let httpStatus {
            text += "HTTP \(httpStatus)"
            if let code { text += " \(code)" }
            if !message.isEmpty { text += ": \(message)" }
        } else {
            text += message
        }
        return text
    }
}
