import CurlHTTP
/// One unsigned AWS request plus the names its errors will carry.
public struct AWSCall: Sendable {
    public var service: AWSService
    public var operation: String
    /// e.g. `bucket B key K`; see `AWSError.resource`.
    public var resource: String
    public var request: HTTPRequest
    /// False for the calls that authenticate otherwise (STS AssumeRoleWithWebIdentity, the SSO portal's bearer
    /// token): they are sent without a SigV4 signature and need no credentials.
    public var signed: Bool

    public init(service: AWSService, operation: String, resource: String, request: HTTPRequest, signed: Bool = true) {
        self.service = service
        self.operation = operation
        self.resource = resource
        self.request = request
        self.signed = signed
    }
}
