import CurlHTTP
import Foundation

/// Amazon CloudWatch (query protocol): `PutMetricData` in batches within the API's limits, and `PutDashboard`.
public struct CloudWatchClient: Sendable {
    public let transport: AWSTransport
    /// PutMetricData takes at most 1,000 data points and a 1 MB request body.
    public static let maxData = 1000
    public static let maxBodyBytes = 1_000_000

    public init(transport: AWSTransport) { self.transport = transport }

    /// Sends `data` under `namespace`, as few calls as the limits allow, `concurrency` in flight. Returns the
    /// number of calls made; the first call that fails after its retries fails the whole.
    @discardableResult
    public func putMetricData(namespace: String, _ data: [CloudWatchMetricDatum], concurrency: Int = 4) throws -> Int {
        var calls: [AWSCall] = []
        var batch: [(String, String)] = []
        var count = 0
        var bytes = 0
        func flush() {
            guard count > 0 else { return }
            calls.append(transport.queryCall(.monitoring, action: "PutMetricData", version: "2010-08-01",
                                             resource: "namespace \(namespace)", parameters: [("Namespace", namespace)] + batch))
            batch = []
            count = 0
            bytes = 0
        }
        for datum in data {
            var parameters = datum.parameters("MetricData.member.\(count + 1)")
            // Percent-encoding at most triples a byte: a safe bound without encoding twice.
            var size = parameters.reduce(0) { $0 + 3 * ($1.0.utf8.count + $1.1.utf8.count) + 2 }
            if count == Self.maxData || bytes + size > Self.maxBodyBytes - 4096 {
                flush()
                parameters = datum.parameters("MetricData.member.1")
                size = parameters.reduce(0) { $0 + 3 * ($1.0.utf8.count + $1.1.utf8.count) + 2 }
            }
            batch += parameters
            count += 1
            bytes += size
        }
        flush()
        var failure: AWSError?
        try transport.execute(calls, concurrency: concurrency) { _, result in
            if case let .failure(error) = result { failure = failure ?? error }
        }
        if let failure { throw failure }
        return calls.count
    }

    /// Creates or replaces a dashboard with `body` (the dashboard's JSON).
    public func putDashboard(name: String, body: String) throws {
        let call = transport.queryCall(.monitoring, action: "PutDashboard", version: "2010-08-01", resource: "dashboard \(name)",
                                       parameters: [("DashboardName", name), ("DashboardBody", body)])
        _ = try transport.execute(call)
    }
}
