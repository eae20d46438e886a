import CCurl

/// Owns one libcurl share handle (freed in `deinit`): DNS cache, TLS sessions and connections shared by every
/// easy handle of one `HTTPClient`. No lock callbacks are installed because a client drives its handles from one
/// thread at a time.
final class CurlShare {
    let handle: UnsafeMutableRawPointer

    init() throws {
        guard let handle = curl_share_init() else {
            throw CurlError(function: "curl_share_init", code: -1, message: "returned NULL (out of memory?)")
        }
        self.handle = handle
        for data in [CURL_LOCK_DATA_DNS, CURL_LOCK_DATA_SSL_SESSION, CURL_LOCK_DATA_CONNECT] {
            let code = ccurl_share_setopt_long(handle, CURLSHOPT_SHARE, Int(data.rawValue))
            guard code == CURLSHE_OK else {
                curl_share_cleanup(handle)
                throw CurlError(function: "curl_share_setopt(SHARE)", code: Int32(code.rawValue),
                                message: String(cString: curl_share_strerror(code)))
            }
        }
    }

    deinit { curl_share_cleanup(handle) }
}
