import CurlHTTP
/// One unsigned AWS request plus the names its errors will carry.
public struct AWSCall: Sendable {
    public var service: AWSService
    public var operation: String
    /// e.g. `bucket B key K`; see `AWSError.resource`.
    public var resource: String
    public var request: HTTPRequest

    public init(service: AWSService, operation: String, resource: String, request: HTTPRequest) {
        self.service = service
        self.operation = operation
        self.resource = resource
        self.request = request
    }
}
