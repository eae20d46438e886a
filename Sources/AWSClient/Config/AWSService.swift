import CurlHTTP
/// The services this client speaks to. The raw value is the SigV4 signing name and the name used in errors.
public enum AWSService: String, Sendable, CaseIterable {
    case s3
    case kinesis
    case dynamodb
    case sns
    /// CloudWatch (its signing name is `monitoring`).
    case monitoring

    /// Suffix of the per-service endpoint variable, `AWS_ENDPOINT_URL_<SUFFIX>`.
    public var environmentSuffix: String {
        switch self {
        case .s3: return "S3"
        case .kinesis: return "KINESIS"
        case .dynamodb: return "DYNAMODB"
        case .sns: return "SNS"
        case .monitoring: return "CLOUDWATCH"
        }
    }

    /// The public regional endpoint (no trailing slash).
    public func defaultEndpoint(region: String) -> String {
        "https://\(rawValue).\(region).amazonaws.com"
    }
}
