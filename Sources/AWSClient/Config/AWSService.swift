import CurlHTTP
/// The services this client speaks to. The raw value is the SigV4 signing name and the name used in errors.
/// `sts` and `sso` (the SSO portal) are only used to obtain credentials.
public enum AWSService: String, Sendable, CaseIterable {
    case s3
    case kinesis
    case dynamodb
    case sns
    /// CloudWatch (its signing name is `monitoring`).
    case monitoring
    case sts
    case sso

    /// Suffix of the per-service endpoint variable, `AWS_ENDPOINT_URL_<SUFFIX>`.
    public var environmentSuffix: String {
        switch self {
        case .s3: return "S3"
        case .kinesis: return "KINESIS"
        case .dynamodb: return "DYNAMODB"
        case .sns: return "SNS"
        case .monitoring: return "CLOUDWATCH"
        case .sts: return "STS"
        case .sso: return "SSO"
        }
    }

    /// The public regional endpoint (no trailing slash), in the region's partition (`amazonaws.com.cn` for the
    /// China regions, `amazonaws.com` elsewhere: aws and aws-us-gov), as the SDKs' endpoint rules give it with
    /// `AWS_USE_FIPS_ENDPOINT` (`service-fips.`) and `AWS_USE_DUALSTACK_ENDPOINT` (`api.aws`; S3 keeps its
    /// `s3.dualstack.` form).
    public func defaultEndpoint(region: String, fips: Bool = false, dualStack: Bool = false) -> String {
        let china = region.hasPrefix("cn-")
        let suffix = china ? "amazonaws.com.cn" : "amazonaws.com"
        let name = fips && self != .sso ? "\(rawValue)-fips" : rawValue
        switch self {
        case .sso: return "https://portal.sso.\(region).\(suffix)"
        case .s3 where dualStack: return "https://\(name).dualstack.\(region).\(suffix)"
        default:
            if dualStack { return "https://\(name).\(region).\(china ? "api.amazonwebservices.com.cn" : "api.aws")" }
            return "https://\(name).\(region).\(suffix)"
        }
    }
}
