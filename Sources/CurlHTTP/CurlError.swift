import CCurl

/// A libcurl call that failed while setting up a transfer (not a transfer failure: see `HTTPTransportError`).
public struct CurlError: Error, CustomStringConvertible, Sendable {
    public var function: String
    public var code: Int32
    public var message: String

    public var description: String { "libcurl \(function) failed with code \(code): \(message)" }

    static func easy(_ function: String, _ code: CURLcode) -> CurlError {
        CurlError(function: function, code: Int32(code.rawValue), message: String(cString: curl_easy_strerror(code)))
    }

    static func multi(_ function: String, _ code: CURLMcode) -> CurlError {
        CurlError(function: function, code: code.rawValue, message: String(cString: curl_multi_strerror(code)))
    }
}
