import Foundation

/// Runs a short boto3 script against an endpoint, for what the tests need from services our client does not
/// speak (SQS to receive SNS deliveries, CloudWatch's GetMetricStatistics): the reading side stays independent of
/// the code under test. The script sees `endpoint` and the arguments in `args` (a dict) and prints its result
/// as JSON on stdout.
public enum Boto3 {
    public struct Failed: Error, CustomStringConvertible {
        public var status: Int32
        public var stderr: String
        public var description: String { "python3 (boto3) exited \(status): \(stderr)" }
    }

    public static func run(_ script: String, args: [String: Any] = [:], environment: [String: String]) throws -> Any {
        let prelude = """
            import json, sys, os, boto3
            endpoint = os.environ["AWS_ENDPOINT_URL"]
            args = json.loads(sys.argv[1])
            def client(name):
                return boto3.client(name, endpoint_url=endpoint, region_name=os.environ.get("AWS_REGION", "us-east-1"))

            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let argument = String(decoding: try JSONSerialization.data(withJSONObject: args), as: UTF8.self)
        p.arguments = ["python3", "-c", prelude + script, argument]
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let r = try ProcessOutput.run(p)
        guard r.status == 0 else { throw Failed(status: r.status, stderr: String(decoding: r.stderr, as: UTF8.self)) }
        return try JSONSerialization.jsonObject(with: r.stdout, options: [.fragmentsAllowed])
    }
}
