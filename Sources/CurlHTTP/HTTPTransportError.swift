/// A transfer that produced no HTTP response: refused connection, DNS failure, timeout, TLS failure, reset.
public struct HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case connect, timeout, tls, connectionLost, other
    }

    public var kind: Kind
    /// The libcurl `CURLcode`.
    public var curlCode: Int32
    public var message: String
    public var url: String

    public init(kind: Kind, curlCode: Int32, message: String, url: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.message = message
        self.url = url
    }

    /// Failures worth retrying: everything except TLS verification and malformed requests. A TLS handshake that
    /// failed on the wire (`CURLE_SSL_CONNECT_ERROR`, 35: reset mid-handshake) is retried, as the SDKs do; a
    /// certificate that does not verify is not.
    public var isRetryable: Bool {
        switch kind {
        case .other: return false
        case .tls: return curlCode == 35
        default: return true
        }
    }

    public var description: String {
        switch kind {
        case .connect: return "could not connect to \(url): \(message)"
        case .timeout: return "timed out talking to \(url): \(message)"
        case .tls: return "TLS failure with \(url): \(message)"
        case .connectionLost: return "connection to \(url) lost: \(message)"
        case .other: return "request to \(url) failed: \(message)"
        }
    }
}
