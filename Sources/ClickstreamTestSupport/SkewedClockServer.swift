import Foundation
import Synchronization

/// A loopback AWS-like endpoint whose clock is `skew` seconds off ours: a request whose `X-Amz-Date` is more than
/// 5 minutes from the server's time gets 403 `RequestTimeTooSkewed` (S3's XML shape) with the server's `Date`
/// header, as S3 answers; a request signed on the server's time gets `answer`. Records each `X-Amz-Date`.
public final class SkewedClockServer: Sendable {
    public let skew: TimeInterval
    private let dates = Mutex<[String]>([])
    private let server = Mutex<StubHTTPServer?>(nil)

    public init(skew: TimeInterval, answer: StubHTTPServer.Response) throws {
        self.skew = skew
        let stub = try StubHTTPServer { [self] request in
            let serverNow = Date().addingTimeInterval(skew)
            let amzDate = request.headers["x-amz-date"] ?? ""
            dates.withLock { $0.append(amzDate) }
            let parser = DateFormatter()
            parser.locale = Locale(identifier: "en_US_POSIX")
            parser.timeZone = TimeZone(identifier: "UTC")
            parser.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            if let signed = parser.date(from: amzDate), abs(signed.timeIntervalSince(serverNow)) <= 300 {
                return answer
            }
            let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message></Error>"
            return .init(status: 403, headers: [("Date", formatter.string(from: serverNow)), ("Content-Type", "application/xml")],
                         body: Array(body.utf8))
        }
        server.withLock { $0 = stub }
    }

    public var endpoint: String { server.withLock { $0!.endpoint } }
    /// The `X-Amz-Date` of every request, in order.
    public var amzDates: [String] { dates.withLock { $0 } }

    public func stop() { server.withLock { $0?.stop() } }
}
